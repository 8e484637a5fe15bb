using System.Text.Json.Serialization;
using RnnSearch.Shared.Protocol;

namespace RnnSearch.TrainerNode.Training;

public sealed record EpochRecord
{
    [JsonPropertyName("epoch")] public int Epoch { get; init; }
    [JsonPropertyName("train_loss")] public double TrainLoss { get; init; }
    [JsonPropertyName("valid_metric")] public double ValidMetric { get; init; }
    [JsonPropertyName("seconds")] public double Seconds { get; init; }
    [JsonPropertyName("samples_per_second")] public double SamplesPerSecond { get; init; }
}

public sealed record TrialResult
{
    [JsonPropertyName("spec")] public required string Spec { get; init; }
    [JsonPropertyName("task")] public required string Task { get; init; }
    [JsonPropertyName("params")] public long Params { get; init; }
    [JsonPropertyName("seed")] public long Seed { get; init; }
    [JsonPropertyName("epochs")] public int Epochs { get; init; }
    [JsonPropertyName("best_epoch")] public int BestEpoch { get; init; }
    [JsonPropertyName("metric_name")] public required string MetricName { get; init; }
    [JsonPropertyName("valid_metric")] public double? ValidMetric { get; init; }
    [JsonPropertyName("test_metric")] public double? TestMetric { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("train_seconds")] public double TrainSeconds { get; init; }
    [JsonPropertyName("device")] public string Device { get; init; } = "cpu";
    [JsonPropertyName("resumed_from_epoch")] public int ResumedFromEpoch { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("trivial_valid_metric")] public double? TrivialValidMetric { get; init; }
    [JsonPropertyName("history")] public IReadOnlyList<EpochRecord> History { get; init; } = [];
}
