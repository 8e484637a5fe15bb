namespace RnnSearch.Shared.Tasks;

/// <summary>A benchmark the trainers know: its shape, its metric (lower is better for all of them) and where its data lives.</summary>
/// <param name="TrainStepsPerEpoch">scored time steps in one pass over the training split (for cost estimates), for the
/// synthetic tasks per unit of length</param>
public sealed record TaskInfo(string Name, TaskShape Shape, string MetricName, string Description, double TrivialMetric, long TrainStepsPerEpoch = 0)
{
    /// <summary>Time steps one epoch processes (synthetic tasks: 10,000 sequences of their length).</summary>
    public long StepsPerEpoch(int? length) => Name switch
    {
        "adding" => 10_000L * (length ?? 100),
        "copy" => 10_000L * ((length ?? 50) + 20),
        _ => TrainStepsPerEpoch,
    };
}
