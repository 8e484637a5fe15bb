using RnnSearch.Shared.Common;
using RnnSearch.Shared.Tasks;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Tasks;

/// <summary>What a trial's data is: batches of windows per split, a training loss and the task's metric.</summary>
internal abstract class Benchmark
{
    public abstract TaskInfo Info { get; }

    /// <summary>Windows of one pass over a split; <paramref name="shuffle"/> is null for evaluation (fixed order).</summary>
    public abstract IEnumerable<BatchData> Batches(Split split, int batchSize, int bptt, SeededRandom? shuffle);

    /// <summary>
    /// The training windows of epoch <paramref name="epoch"/> (from 1), of which the trial trains at most
    /// <paramref name="limit"/> (null: all). By default the shuffled pass: each epoch draws a new order, so a limit
    /// takes a new sample every epoch. Streams override it, as their order is fixed.
    /// </summary>
    public virtual IEnumerable<BatchData> TrainingBatches(int batchSize, int bptt, SeededRandom shuffle, int epoch, int? limit) =>
        Batches(Split.Train, batchSize, bptt, shuffle);

    /// <summary>Scored elements (time steps or samples) in one pass over a split, for throughput figures.</summary>
    public abstract long ScoredElements(Split split);

    /// <summary>The loss to minimise on this window and the metric's numerator and denominator.</summary>
    public abstract (Tensor Loss, double MetricSum, double MetricCount) Score(Tensor logits, BatchData batch, Device device);

    /// <summary>The metric from its accumulated numerator and denominator (lower is better for every task).</summary>
    public virtual double Metric(double sum, double count) => sum / count;

    /// <summary>
    /// The validation metric of a model that ignores the input history (per-key frequencies for music, unigram for
    /// PTB, the mean target for adding, a uniform guess over the 8 symbols for copy): a trial that never beats it
    /// has learnt nothing ("untrainable" in the leaderboard's trainability figures).
    /// </summary>
    public abstract double TrivialValidMetric { get; }

    /// <summary>The default truncated-BPTT window for this task.</summary>
    public abstract int DefaultBptt { get; }
}
