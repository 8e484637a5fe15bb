using System.Text.Json.Serialization;

namespace RnnSearch.Coordinator.Leaderboard;

/// <summary>The leaderboard and verdicts of a study, as printed and as JSON (leaderboard --json, /api/leaderboard).</summary>
public sealed record LeaderboardReport
{
    [JsonPropertyName("study")] public required StudySummary Study { get; init; }
    [JsonPropertyName("tasks")] public required IReadOnlyList<TaskSummary> Tasks { get; init; }
    [JsonPropertyName("rows")] public required IReadOnlyList<LeaderboardRow> Rows { get; init; }
    [JsonPropertyName("verdicts")] public required IReadOnlyList<Verdict> Verdicts { get; init; }
    [JsonPropertyName("pooled_verdicts")] public required IReadOnlyList<PooledVerdict> PooledVerdicts { get; init; }
    /// <summary>Comparisons of candidates without a parameter budget (sizes fixed by their specs): listed, never given a verdict.</summary>
    [JsonPropertyName("not_size_matched")] public IReadOnlyList<Verdict> NotSizeMatched { get; init; } = [];
    [JsonPropertyName("trainability")] public required IReadOnlyList<Trainability> Trainability { get; init; }
}

public sealed record StudySummary
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("description")] public string Description { get; init; } = "";
    [JsonPropertyName("trials")] public int Trials { get; init; }
    [JsonPropertyName("done")] public int Done { get; init; }
    [JsonPropertyName("complete")] public bool Complete { get; init; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; init; }
    [JsonPropertyName("completed_at")] public string? CompletedAt { get; init; }
}

public sealed record TaskSummary(
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("metric_name")] string MetricName,
    [property: JsonPropertyName("trivial_valid_metric")] double? TrivialValidMetric);

public sealed record LeaderboardRow
{
    [JsonPropertyName("rank")] public int Rank { get; init; }
    [JsonPropertyName("task")] public required string Task { get; init; }
    [JsonPropertyName("candidate")] public long Candidate { get; init; }
    [JsonPropertyName("spec")] public required string Spec { get; init; }
    [JsonPropertyName("family")] public required string Family { get; init; }
    [JsonPropertyName("cell")] public required string Cell { get; init; }
    [JsonPropertyName("depth")] public int Depth { get; init; }
    [JsonPropertyName("budget")] public long? Budget { get; init; }
    [JsonPropertyName("params")] public long Params { get; init; }
    [JsonPropertyName("d_r")] public double RecurrentDepth { get; init; }
    [JsonPropertyName("d_f")] public double FeedForwardDepth { get; init; }
    /// <summary>Final seeds in the mean: ok, diverged and failed (docs/protocol.md, "Statistics").</summary>
    [JsonPropertyName("seeds")] public int Seeds { get; init; }
    /// <summary>Of <see cref="Seeds"/>, those that ended ok.</summary>
    [JsonPropertyName("survivors")] public int Survivors { get; init; }
    /// <summary>Final seeds stopped by the wall-time safety net: in no mean, CI or verdict.</summary>
    [JsonPropertyName("stopped_time")] public int StoppedTime { get; init; }
    [JsonPropertyName("metric_name")] public required string MetricName { get; init; }
    [JsonPropertyName("test_mean")] public double? TestMean { get; init; }
    [JsonPropertyName("test_ci95")] public double[]? TestCi95 { get; init; }
    /// <summary>Mean validation metric of the surviving (ok) seeds.</summary>
    [JsonPropertyName("valid_mean")] public double? ValidMean { get; init; }
    [JsonPropertyName("epochs_mean")] public double? EpochsMean { get; init; }
    [JsonPropertyName("train_seconds_mean")] public double? TrainSecondsMean { get; init; }
    [JsonPropertyName("status")] public required IReadOnlyDictionary<string, int> Status { get; init; }
    [JsonPropertyName("hyper")] public Studies.HyperParameters? Hyper { get; init; }
    /// <summary>Every finished final seed with the value it enters the statistics with (null for one that does not count).</summary>
    [JsonPropertyName("seed_values")] public IReadOnlyList<SeedValue> SeedValues { get; init; } = [];
}

public sealed record SeedValue(
    [property: JsonPropertyName("seed")] long Seed,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("value")] double? Value,
    [property: JsonPropertyName("counted")] bool Counted);

public sealed record Verdict
{
    [JsonPropertyName("task")] public required string Task { get; init; }
    [JsonPropertyName("metric_name")] public required string MetricName { get; init; }
    [JsonPropertyName("cell")] public required string Cell { get; init; }
    [JsonPropertyName("budget")] public long? Budget { get; init; }
    [JsonPropertyName("family")] public required string Family { get; init; }
    [JsonPropertyName("depth")] public int Depth { get; init; }
    [JsonPropertyName("candidate")] public required string Candidate { get; init; }
    [JsonPropertyName("baseline")] public required string Baseline { get; init; }
    [JsonPropertyName("params")] public long Params { get; init; }
    [JsonPropertyName("baseline_params")] public long BaselineParams { get; init; }
    /// <summary>Seeds where both the candidate and the baseline have a counted final result.</summary>
    [JsonPropertyName("pairs")] public int Pairs { get; init; }
    /// <summary>Of the paired seeds, those that ended ok for the candidate and for the baseline.</summary>
    [JsonPropertyName("candidate_survivors")] public int CandidateSurvivors { get; init; }
    [JsonPropertyName("baseline_survivors")] public int BaselineSurvivors { get; init; }
    /// <summary>Seeds left out of the pairs because one side was stopped by the time limit.</summary>
    [JsonPropertyName("stopped_time_seeds")] public int StoppedTimeSeeds { get; init; }
    [JsonPropertyName("baseline_mean")] public double? BaselineMean { get; init; }
    /// <summary>Mean of (candidate − baseline) over paired seeds; negative is better (every metric is lower-is-better).</summary>
    [JsonPropertyName("delta_mean")] public double? DeltaMean { get; init; }
    [JsonPropertyName("delta_ci95")] public double[]? DeltaCi95 { get; init; }
    /// <summary>Δ / baseline mean over the paired seeds (−0.02: 2 % lower, better).</summary>
    [JsonPropertyName("relative_delta")] public double? RelativeDelta { get; init; }
    /// <summary>Paired bootstrap 95 % interval of <see cref="RelativeDelta"/> (fixed-seed, deterministic).</summary>
    [JsonPropertyName("relative_ci95")] public double[]? RelativeCi95 { get; init; }
    /// <summary>Smallest |Δ| the paired t-test detects with 80 % power at α = 0.05, from the observed SD of the differences.</summary>
    [JsonPropertyName("mde")] public double? Mde { get; init; }
    [JsonPropertyName("mde_relative")] public double? MdeRelative { get; init; }
    [JsonPropertyName("p_value")] public double? PValue { get; init; }
    [JsonPropertyName("p_holm")] public double? PHolm { get; init; }
    [JsonPropertyName("verdict")] public required string Outcome { get; init; }
}

/// <summary>
/// One family and depth against each task's own baseline, pooled over the tasks that share a metric: one value per
/// task (its mean relative difference), tested with the exact Wilcoxon signed-rank test across tasks.
/// </summary>
public sealed record PooledVerdict
{
    [JsonPropertyName("metric_name")] public required string MetricName { get; init; }
    [JsonPropertyName("cell")] public required string Cell { get; init; }
    [JsonPropertyName("budget")] public long? Budget { get; init; }
    [JsonPropertyName("family")] public required string Family { get; init; }
    [JsonPropertyName("depth")] public int Depth { get; init; }
    [JsonPropertyName("candidate")] public required string Candidate { get; init; }
    /// <summary>Each pooled task's mean relative difference, Δ / its baseline's mean.</summary>
    [JsonPropertyName("task_relative_deltas")] public required IReadOnlyDictionary<string, double> TaskRelativeDeltas { get; init; }
    [JsonPropertyName("tasks")] public int Tasks { get; init; }
    /// <summary>Paired seeds over all pooled tasks (each task enters once, whatever its number of seeds).</summary>
    [JsonPropertyName("pairs")] public int Pairs { get; init; }
    [JsonPropertyName("stopped_time_seeds")] public int StoppedTimeSeeds { get; init; }
    /// <summary>Mean over tasks of the per-task relative differences.</summary>
    [JsonPropertyName("relative_delta")] public double? RelativeDelta { get; init; }
    [JsonPropertyName("test")] public string Test { get; init; } = "wilcoxon signed-rank (exact) over per-task relative differences";
    [JsonPropertyName("p_value")] public double? PValue { get; init; }
    /// <summary>The smallest p the test can give with this many tasks (2 / 2^tasks): above α, no verdict is possible.</summary>
    [JsonPropertyName("min_p")] public double MinimumP { get; init; }
    [JsonPropertyName("p_holm")] public double? PHolm { get; init; }
    [JsonPropertyName("verdict")] public required string Outcome { get; init; }
}

public sealed record Trainability
{
    [JsonPropertyName("family")] public required string Family { get; init; }
    [JsonPropertyName("cell")] public required string Cell { get; init; }
    /// <summary>Finished trials (every status but "stopped", which runs again).</summary>
    [JsonPropertyName("trials")] public int Trials { get; init; }
    /// <summary>Trials that ran their course (ok, diverged, failed): the denominator of the share.</summary>
    [JsonPropertyName("judged")] public int Judged { get; init; }
    [JsonPropertyName("diverged")] public int Diverged { get; init; }
    [JsonPropertyName("failed")] public int Failed { get; init; }
    /// <summary>Ok trials whose validation metric did not get below the trivial model's.</summary>
    [JsonPropertyName("never_beat_trivial")] public int NeverBeatTrivial { get; init; }
    /// <summary>Tuning draws stopped by ASHA: worse than their rivals at a rung, not untrainable.</summary>
    [JsonPropertyName("pruned")] public int Pruned { get; init; }
    [JsonPropertyName("stopped_time")] public int StoppedTime { get; init; }
    /// <summary>(diverged + failed + never beat trivial) / judged; 0 when nothing was judged.</summary>
    [JsonPropertyName("untrainable_share")] public double UntrainableShare { get; init; }
}
