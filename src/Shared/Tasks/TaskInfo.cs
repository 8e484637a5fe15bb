namespace RnnSearch.Shared.Tasks;

/// <summary>A benchmark the trainers know: its shape, its metric (lower is better for all of them) and where its data lives.</summary>
public sealed record TaskInfo(string Name, TaskShape Shape, string MetricName, string Description, double TrivialMetric);
