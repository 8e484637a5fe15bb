namespace RnnSearch.Coordinator.Leaderboard;

/// <summary>
/// Verdicts pooled over tasks: one family and depth (same cell and budget) against each task's own baseline, only
/// across tasks with the same metric, on the scale-free relative difference Δ / baseline mean. Each task contributes
/// one value, so the test respects the task structure (seeds are nested in tasks): the exact Wilcoxon signed-rank
/// test over those per-task values, Holm-corrected across the families pooled for the same metric, cell and budget.
/// With few tasks the test has little power: its smallest p is 2 / 2^tasks, so below six tasks the verdict is
/// "too few tasks" whatever the data.
/// </summary>
public static class PooledVerdicts
{
    public static IReadOnlyList<PooledVerdict> Build(IReadOnlyList<Verdict> perTask)
    {
        var pooled = perTask.Where(v => v.Budget is not null && v.RelativeDelta is not null)
            .GroupBy(v => (v.MetricName, v.Cell, v.Budget, v.Family, v.Depth))
            .Select(g => Pool(g.ToList()))
            .Where(p => p.Verdict.Tasks > 1)
            .ToList();
        var result = new List<PooledVerdict>();
        foreach (var group in pooled.GroupBy(p => (p.Verdict.MetricName, p.Verdict.Cell, p.Verdict.Budget)))
        {
            var members = group.ToList();
            var holm = Statistics.Holm(members.Select(m => (double?)m.Verdict.PValue).ToList());
            result.AddRange(members.Select((m, i) => m.Verdict with
            {
                PHolm = holm[i],
                Outcome = m.Verdict.MinimumP > LeaderboardBuilder.Alpha ? LeaderboardBuilder.TooFewTasks
                    : holm[i] < LeaderboardBuilder.Alpha ? m.Better ? LeaderboardBuilder.Better : LeaderboardBuilder.Worse
                    : LeaderboardBuilder.NoDifference,
            }));
        }
        return result;
    }

    /// <summary>
    /// Pools the per-task comparisons of one family and depth; refuses comparisons of different metrics (an nll and a
    /// perplexity do not average, not even relatively: their scales respond differently to the same model change).
    /// </summary>
    public static (PooledVerdict Verdict, bool Better) Pool(IReadOnlyList<Verdict> comparisons)
    {
        if (comparisons.Count == 0) throw new ArgumentException("nothing to pool", nameof(comparisons));
        var metrics = comparisons.Select(v => v.MetricName).Distinct().ToList();
        if (metrics.Count > 1) throw new ArgumentException($"pooled verdicts need one metric; got {string.Join(", ", metrics)}", nameof(comparisons));
        if (comparisons.Select(v => (v.Cell, v.Budget, v.Family, v.Depth)).Distinct().Count() > 1)
            throw new ArgumentException("pooled verdicts need one cell, budget, family and depth", nameof(comparisons));
        // A task with two candidates of the same family and depth (a generated one and an explicit spec) enters once.
        var perTask = comparisons.Where(v => v.RelativeDelta is not null).GroupBy(v => v.Task).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Average(v => v.RelativeDelta!.Value));
        var test = SignedRankTest.Test(perTask.Values.ToList());
        var first = comparisons[0];
        return (new PooledVerdict
        {
            MetricName = first.MetricName, Cell = first.Cell, Budget = first.Budget, Family = first.Family, Depth = first.Depth, Candidate = $"{first.Family}-{first.Depth}",
            TaskRelativeDeltas = perTask, Tasks = perTask.Count, Pairs = comparisons.Sum(v => v.Pairs), StoppedTimeSeeds = comparisons.Sum(v => v.StoppedTimeSeeds),
            RelativeDelta = perTask.Count > 0 ? perTask.Values.Average() : null, PValue = test.P, MinimumP = test.MinimumP,
            Outcome = LeaderboardBuilder.InsufficientData,
        }, test.WPlus < test.WMinus);
    }
}
