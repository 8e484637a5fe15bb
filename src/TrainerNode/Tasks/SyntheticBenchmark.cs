using RnnSearch.Shared.Common;
using RnnSearch.Shared.Tasks;
using RnnSearch.TrainerNode.Models;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Tasks;

/// <summary>
/// Long-lag probes generated from a fixed data seed (the same sets for every trial; the trial seed drives only
/// initialisation and shuffling). Each sample is one whole sequence, so windows are whole sequences (no BPTT cut).
/// <list type="bullet">
/// <item><c>adding</c> (Hochreiter &amp; Schmidhuber 1997): inputs (value ~ U(0,1), marker); two markers, one in each
/// half; target the sum of the two marked values at the last step; metric MSE (predicting 1 scores ≈ 0.167).</item>
/// <item><c>copy</c> (Arjovsky et al. 2016): 10 symbols from 1..8, T−1 blanks, a delimiter (9), 10 blanks; the
/// output must be blank until it repeats the 10 symbols at the end; loss cross-entropy over all steps, metric
/// cross-entropy per copied symbol (guessing scores ln 8 ≈ 2.08).</item>
/// </list>
/// </summary>
internal sealed class SyntheticBenchmark : Benchmark
{
    public const int DataSeed = 20_160_101;
    private const int CopyLength = 10;
    private readonly Dictionary<Split, (float[] Input, float[]? DenseTarget, long[]? TokenTarget, int Count)> _sets = [];
    private readonly bool _adding;
    private readonly int _steps;

    public override TaskInfo Info { get; }
    public override int DefaultBptt => _steps;
    public int Length { get; }

    public SyntheticBenchmark(TaskInfo info, int length, int trainSamples = 10_000, int evalSamples = 1_000)
    {
        if (length < 2) throw new DataException($"--length {length} is too short for {info.Name}; allowed: an integer >= 2");
        Info = info;
        Length = length;
        _adding = info.Name == "adding";
        _steps = _adding ? length : length + 2 * CopyLength;
        var random = new SeededRandom(DataSeed + length);
        _sets[Split.Train] = Generate(random, trainSamples);
        _sets[Split.Valid] = Generate(random, evalSamples);
        _sets[Split.Test] = Generate(random, evalSamples);
    }

    private (float[], float[]?, long[]?, int) Generate(SeededRandom random, int count)
    {
        var features = Info.Shape.InputSize;
        var input = new float[count * _steps * features];
        if (_adding)
        {
            var target = new float[count];
            for (var s = 0; s < count; s++)
            {
                var first = random.Next(Length / 2);
                var second = Length / 2 + random.Next(Length - Length / 2);
                for (var t = 0; t < Length; t++)
                {
                    var value = (float)random.NextDouble();
                    input[(s * _steps + t) * 2] = value;
                    if (t == first || t == second)
                    {
                        input[(s * _steps + t) * 2 + 1] = 1f;
                        target[s] += value;
                    }
                }
            }
            return (input, target, null, count);
        }

        var labels = new long[count * _steps];
        for (var s = 0; s < count; s++)
        {
            for (var t = 0; t < _steps; t++)
            {
                long symbol = t < CopyLength ? 1 + random.Next(8) : t == Length + CopyLength - 1 ? 9 : 0;
                input[(s * _steps + t) * features + symbol] = 1f;
                if (t < CopyLength) labels[s * _steps + Length + CopyLength + t] = symbol;
            }
        }
        return (input, null, labels, count);
    }

    /// <summary>Adding: predict the mean training target; copy: a uniform guess over the 8 symbols (ln 8).</summary>
    public override double TrivialValidMetric
    {
        get
        {
            if (!_adding) return Math.Log(8);
            var mean = _sets[Split.Train].DenseTarget!.Average();
            return _sets[Split.Valid].DenseTarget!.Average(y => (y - mean) * (y - mean));
        }
    }

    public override long ScoredElements(Split split) => _sets[split].Count * (_adding ? 1L : CopyLength);

    public override IEnumerable<BatchData> Batches(Split split, int batchSize, int bptt, SeededRandom? shuffle)
    {
        var (input, denseTarget, tokenTarget, count) = _sets[split];
        var features = Info.Shape.InputSize;
        var order = Enumerable.Range(0, count).ToList();
        shuffle?.Shuffle(order);
        foreach (var chunk in order.Chunk(batchSize))
        {
            var rows = chunk.Length;
            var x = new float[_steps * rows * features];
            for (var b = 0; b < rows; b++)
                for (var t = 0; t < _steps; t++)
                    Array.Copy(input, (chunk[b] * _steps + t) * features, x, (t * rows + b) * features, features);
            if (_adding)
            {
                var y = chunk.Select(i => denseTarget![i]).ToArray();
                yield return new BatchData(_steps, rows, [_steps, rows, features], x, null, [rows, 1], y, null, null, ResetState: true);
            }
            else
            {
                var y = new long[_steps * rows];
                for (var b = 0; b < rows; b++)
                    for (var t = 0; t < _steps; t++)
                        y[t * rows + b] = tokenTarget![chunk[b] * _steps + t];
                yield return new BatchData(_steps, rows, [_steps, rows, features], x, null, [_steps * rows], null, y, null, ResetState: true);
            }
        }
    }

    public override (Tensor Loss, double MetricSum, double MetricCount) Score(Tensor logits, BatchData batch, Device device)
    {
        var target = batch.Target(device);
        if (_adding)
        {
            var error = logits[-1].Minus(target);
            var mean = (error * error).mean();
            return (mean, mean.item<float>() * (double)batch.Rows, batch.Rows);
        }
        var flat = logits.reshape(-1, logits.shape[^1]);
        var loss = nn.functional.cross_entropy(flat, target);
        var copied = logits.narrow(0, _steps - CopyLength, CopyLength).reshape(-1, logits.shape[^1]);
        var copiedTarget = target.reshape(_steps, batch.Rows).narrow(0, _steps - CopyLength, CopyLength).reshape(-1);
        var copiedSum = nn.functional.cross_entropy(copied, copiedTarget, reduction: nn.Reduction.Sum);
        return (loss, copiedSum.item<float>(), CopyLength * batch.Rows);
    }
}
