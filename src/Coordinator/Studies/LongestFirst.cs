using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Measures;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Coordinator.Studies;

/// <summary>
/// The order a study queues its candidates in: the slowest first, so that the last trials of a study are short and
/// no trainer idles long while another finishes (longest-processing-time-first). Slowest = the recurrence runs on the
/// generic layers (3–5× slower per epoch than the built-in modules at the sizes of the quick study,
/// docs/performance.md), then more FLOPs per step. Results do not depend on the order: every trial has its own seed.
/// </summary>
public static class LongestFirst
{
    public static IEnumerable<Candidate> Order(IEnumerable<Candidate> candidates) =>
        candidates.Select(c => (Candidate: c, Cost: Cost(c))).OrderByDescending(x => x.Cost.Generic).ThenByDescending(x => x.Cost.Flops)
            .ThenBy(x => x.Candidate.Id).Select(x => x.Candidate);

    private static (bool Generic, long Flops) Cost(Candidate candidate)
    {
        var spec = ArchSpecParser.Parse(candidate.Spec);
        return (!spec.IsPlainRecurrence, FlopCounter.PerStep(spec, TaskCatalog.Get(candidate.Task).Shape));
    }
}
