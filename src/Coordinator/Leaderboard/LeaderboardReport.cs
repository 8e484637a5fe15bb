using System.Text.Json.Serialization;

namespace RnnSearch.Coordinator.Leaderboard;

/// <summary>The leaderboard and verdicts of a study, as printed and as JSON (leaderboard --json, /api/leaderboard).</summary>
public sealed record LeaderboardReport
{
    [JsonPropertyName("study")] public required StudySummary Study { get; init; }
    [JsonPropertyName("tasks")] public required IReadOnlyList<TaskSummary> Tasks { get; init; }
    [JsonPropertyName("rows")] public required IReadOnlyList<LeaderboardRow> Rows { get; init; }
    [JsonPropertyName("verdicts")] public required IReadOnlyList<Verdict> Verdicts { get; init; }
    [JsonPropertyName("pooled_verdicts")] public required IReadOnlyList<Verdict> PooledVerdicts { get; init; }
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
    [JsonPropertyName("seeds")] public int Seeds { get; init; }
    [JsonPropertyName("metric_name")] public required string MetricName { get; init; }
    [JsonPropertyName("test_mean")] public double? TestMean { get; init; }
    [JsonPropertyName("test_ci95")] public double[]? TestCi95 { get; init; }
    [JsonPropertyName("valid_mean")] public double? ValidMean { get; init; }
    [JsonPropertyName("epochs_mean")] public double? EpochsMean { get; init; }
    [JsonPropertyName("train_seconds_mean")] public double? TrainSecondsMean { get; init; }
    [JsonPropertyName("status")] public required IReadOnlyDictionary<string, int> Status { get; init; }
    [JsonPropertyName("hyper")] public Studies.HyperParameters? Hyper { get; init; }
}

public sealed record Verdict
{
    [JsonPropertyName("task")] public required string Task { get; init; }
    [JsonPropertyName("cell")] public required string Cell { get; init; }
    [JsonPropertyName("budget")] public long? Budget { get; init; }
    [JsonPropertyName("family")] public required string Family { get; init; }
    [JsonPropertyName("depth")] public int Depth { get; init; }
    [JsonPropertyName("candidate")] public required string Candidate { get; init; }
    [JsonPropertyName("baseline")] public required string Baseline { get; init; }
    [JsonPropertyName("pairs")] public int Pairs { get; init; }
    /// <summary>Mean of (candidate − baseline) over paired seeds; negative is better (every metric is lower-is-better).</summary>
    [JsonPropertyName("delta_mean")] public double? DeltaMean { get; init; }
    [JsonPropertyName("delta_ci95")] public double[]? DeltaCi95 { get; init; }
    [JsonPropertyName("p_value")] public double? PValue { get; init; }
    [JsonPropertyName("p_holm")] public double? PHolm { get; init; }
    [JsonPropertyName("verdict")] public required string Outcome { get; init; }
}

public sealed record Trainability
{
    [JsonPropertyName("family")] public required string Family { get; init; }
    [JsonPropertyName("cell")] public required string Cell { get; init; }
    [JsonPropertyName("trials")] public int Trials { get; init; }
    [JsonPropertyName("diverged")] public int Diverged { get; init; }
    [JsonPropertyName("failed")] public int Failed { get; init; }
    [JsonPropertyName("never_beat_trivial")] public int NeverBeatTrivial { get; init; }
    [JsonPropertyName("untrainable_share")] public double UntrainableShare { get; init; }
}
