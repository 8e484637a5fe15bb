using RnnSearch.Shared.Protocol;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Coordinator.Leaderboard;

/// <summary>How a final seed enters the statistics (docs/protocol.md, "Statistics").</summary>
public enum SeedUse
{
    /// <summary>In every mean, CI, pair and verdict: ok, diverged and failed seeds.</summary>
    Counted,
    /// <summary>Stopped by the wall-time safety net: shown and counted apart, in no mean, CI, pair or verdict.</summary>
    StoppedByTime,
    /// <summary>Pending, running, or stopped by the coordinator (it runs again): not a result yet.</summary>
    NotFinished,
}

/// <summary>One final seed of a candidate and the value it enters the leaderboard with.</summary>
public sealed record FinalSeed(long Seed, string Status, double? Value, SeedUse Use)
{
    public bool Survived => Use == SeedUse.Counted && Status == TrialStatus.Ok;
}

/// <summary>
/// Every final seed counts: ok at its test metric (best validation epoch); diverged at its best epoch's test metric
/// when it had one, else at the trivial model's metric; failed at the trivial model's metric. A seed stopped by the
/// time limit is kept out and counted; one that has not finished is not a result yet. A final seed that ended
/// "pruned" (never expected: ASHA stops tuning draws only) is not a result either, and an ok seed without a finite
/// test metric (the trainer never sends one) counts at the trivial model's metric like a diverged one.
/// </summary>
public static class FinalSeeds
{
    /// <param name="status">The trial's status, or null while it is pending or running.</param>
    /// <param name="trivial">The trivial model's metric for this trial (see <see cref="Trivial"/>).</param>
    public static FinalSeed Classify(long seed, string? status, double? testMetric, double trivial)
    {
        var test = testMetric is { } m && double.IsFinite(m) ? m : (double?)null;
        return status switch
        {
            null => new FinalSeed(seed, "not finished", null, SeedUse.NotFinished),
            TrialStatus.Ok or TrialStatus.Diverged => new FinalSeed(seed, status, test ?? trivial, SeedUse.Counted),
            TrialStatus.Failed => new FinalSeed(seed, status, trivial, SeedUse.Counted),
            TrialStatus.StoppedByTime => new FinalSeed(seed, status, test, SeedUse.StoppedByTime),
            _ => new FinalSeed(seed, status, null, SeedUse.NotFinished),
        };
    }

    /// <summary>
    /// The trivial model's metric (always predicting the training frequencies): the trial's own report, else the
    /// one another trial of the same task reported (it depends only on the task's data), else the task's catalog
    /// value (an upper bound, <see cref="TaskInfo.TrivialMetric"/>).
    /// </summary>
    public static double Trivial(string task, double? own, double? reportedForTask) =>
        own is { } o && double.IsFinite(o) ? o
        : reportedForTask is { } r && double.IsFinite(r) ? r
        : TaskCatalog.Get(task).TrivialMetric;
}
