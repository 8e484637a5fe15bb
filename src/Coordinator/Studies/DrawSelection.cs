using System.Globalization;
using RnnSearch.Shared.Protocol;

namespace RnnSearch.Coordinator.Studies;

/// <summary>
/// The configuration a candidate's final trials re-run, and why. Only a draw that ended "ok" or "pruned" with a finite
/// validation metric can be chosen: a diverged draw's metric is the best epoch before it blew up (the configuration is
/// unstable), a failed one has none, and a "stopped-time" one was cut by the machine's speed rather than judged. A
/// pruned draw competes with the metric it had when ASHA stopped it, so it wins only if every draw that ran its course
/// is worse, even with all their extra epochs. Lowest metric wins; ties go to the lower draw index. When no draw
/// qualifies the task's fixed configuration is used, and the reason says what the draws ended as.
/// </summary>
public sealed record DrawSelection(HyperParameters Hyper, long? DrawTrialId, int? DrawIndex, double? ValidMetric, string Reason)
{
    public static bool Qualifies(TrialRecord draw) =>
        draw.Outcome is { Status: TrialStatus.Ok or TrialStatus.Pruned, ValidMetric: { } metric } && double.IsFinite(metric) && draw.Hyper is not null;

    public static DrawSelection For(IReadOnlyCollection<TrialRecord> draws, HyperParameters fixedHyper)
    {
        var qualifying = draws.Where(Qualifies).OrderBy(d => d.Outcome!.ValidMetric!.Value).ThenBy(d => d.Index).ToList();
        if (qualifying.FirstOrDefault() is { } best)
        {
            var metric = best.Outcome!.ValidMetric!.Value;
            return new DrawSelection(best.Hyper!, best.Id, best.Index, metric,
                $"draw {best.Index} ({best.Outcome.Status}): lowest validation metric ({metric.ToString("G6", CultureInfo.InvariantCulture)}) among the {qualifying.Count} of {draws.Count} draws that ended ok or pruned");
        }
        var endings = draws.GroupBy(d => d.Outcome?.Status ?? "unfinished").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}");
        return new DrawSelection(fixedHyper, null, null, null,
            $"fixed configuration: none of the {draws.Count} draws ended ok or pruned with a finite validation metric ({string.Join(", ", endings)})");
    }
}
