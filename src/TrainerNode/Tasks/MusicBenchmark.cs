using System.IO.Compression;
using System.Text.Json;
using RnnSearch.Shared.Common;
using RnnSearch.Shared.Tasks;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Tasks;

/// <summary>
/// Polyphonic music (Boulanger-Lewandowski et al. 2012): 88-key binary piano rolls (key k = MIDI note 21 + k).
/// Input frame x_t, target frame x_{t+1}; the metric is the Bernoulli NLL per time step summed over the 88 keys
/// (nats), averaged over every real predicted step of the split. Padded steps are masked out of loss and metric.
/// </summary>
internal sealed class MusicBenchmark : Benchmark
{
    private const int Keys = TaskCatalog.PianoKeys;
    private readonly Dictionary<Split, List<float[]>> _rolls;

    public override TaskInfo Info { get; }
    public override int DefaultBptt => 200;

    private MusicBenchmark(TaskInfo info, Dictionary<Split, List<float[]>> rolls)
    {
        Info = info;
        _rolls = rolls;
    }

    public static string FileOf(string task) => task switch
    {
        "jsb" => "polyphonic/jsb_chorales.json.gz",
        "nottingham" => "polyphonic/nottingham.json.gz",
        "musedata" => "polyphonic/musedata.json.gz",
        "piano" => "polyphonic/piano_midi.json.gz",
        _ => throw new ArgumentException($"'{task}' is not a music task"),
    };

    public static MusicBenchmark Load(TaskInfo info, string dataDirectory)
    {
        var relative = FileOf(info.Name);
        var path = DataFiles.Verified(dataDirectory, relative);
        JsonDocument document;
        try
        {
            using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            document = JsonDocument.Parse(gzip);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new DataException($"data file {path} is not gzipped JSON: {e.Message}");
        }
        using (document)
        {
            var rolls = new Dictionary<Split, List<float[]>>();
            foreach (var (split, key) in new[] { (Split.Train, "train"), (Split.Valid, "valid"), (Split.Test, "test") })
            {
                if (!document.RootElement.TryGetProperty(key, out var sequences) || sequences.ValueKind != JsonValueKind.Array)
                    throw new DataException($"data file {path} has no '{key}' list of sequences");
                rolls[split] = sequences.EnumerateArray().Select(s => Roll(s, path)).ToList();
            }
            return new MusicBenchmark(info, rolls);
        }
    }

    private static float[] Roll(JsonElement sequence, string path)
    {
        var steps = sequence.EnumerateArray().ToList();
        var roll = new float[steps.Count * Keys];
        for (var t = 0; t < steps.Count; t++)
        {
            foreach (var note in steps[t].EnumerateArray())
            {
                var key = note.GetInt32() - 21;
                if (key is < 0 or >= Keys) throw new DataException($"data file {path} has MIDI note {key + 21}, outside the 88 piano keys (21-108)");
                roll[t * Keys + key] = 1f;
            }
        }
        return roll;
    }

    public int SequenceCount(Split split) => _rolls[split].Count;

    private double? _trivial;

    public override double TrivialValidMetric => _trivial ??= ComputeTrivial();

    private double ComputeTrivial()
    {
        // Each key on with its training frequency, independently of everything else (add-one smoothing).
        var on = new double[Keys];
        long frames = 0;
        foreach (var roll in _rolls[Split.Train])
            for (var i = 0; i < roll.Length; i++) on[i % Keys] += roll[i];
        frames = _rolls[Split.Train].Sum(r => (long)(r.Length / Keys));
        var p = on.Select(c => (c + 1) / (frames + 2)).ToArray();
        double sum = 0;
        long steps = 0;
        foreach (var roll in _rolls[Split.Valid])
        {
            var length = roll.Length / Keys;
            for (var t = 1; t < length; t++, steps++)
                for (var k = 0; k < Keys; k++)
                    sum -= roll[t * Keys + k] > 0 ? Math.Log(p[k]) : Math.Log(1 - p[k]);
        }
        return sum / steps;
    }

    public override long ScoredElements(Split split) => _rolls[split].Sum(r => Math.Max(0, r.Length / Keys - 1));

    public override IEnumerable<BatchData> Batches(Split split, int batchSize, int bptt, SeededRandom? shuffle)
    {
        var sequences = _rolls[split];
        var order = Enumerable.Range(0, sequences.Count).ToList();
        List<List<int>> batches;
        if (shuffle is null)
        {
            order.Sort((a, b) => sequences[b].Length.CompareTo(sequences[a].Length));
            batches = order.Chunk(batchSize).Select(c => c.ToList()).ToList();
        }
        else
        {
            // Shuffle, then sort within pools of 8 batches by length so that a batch pads little, then shuffle the batches.
            shuffle.Shuffle(order);
            batches = order.Chunk(batchSize * 8)
                .SelectMany(pool => pool.OrderByDescending(i => sequences[i].Length).Chunk(batchSize))
                .Select(c => c.ToList()).ToList();
            shuffle.Shuffle(batches);
        }
        foreach (var batch in batches)
            foreach (var window in Windows(batch.Select(i => sequences[i]).ToList(), bptt))
                yield return window;
    }

    private static IEnumerable<BatchData> Windows(List<float[]> rolls, int bptt)
    {
        var rows = rolls.Count;
        var predicted = rolls.Select(r => Math.Max(0, r.Length / Keys - 1)).ToArray();
        var total = predicted.Max();
        for (var start = 0; start < total; start += bptt)
        {
            var steps = Math.Min(bptt, total - start);
            var input = new float[steps * rows * Keys];
            var target = new float[steps * rows * Keys];
            var mask = new float[steps * rows];
            for (var b = 0; b < rows; b++)
            {
                var valid = Math.Min(steps, predicted[b] - start);
                for (var t = 0; t < valid; t++)
                {
                    Array.Copy(rolls[b], (start + t) * Keys, input, (t * rows + b) * Keys, Keys);
                    Array.Copy(rolls[b], (start + t + 1) * Keys, target, (t * rows + b) * Keys, Keys);
                    mask[t * rows + b] = 1f;
                }
            }
            yield return new BatchData(steps, rows, [steps, rows, Keys], input, null, [steps, rows, Keys], target, null, mask, ResetState: start == 0);
        }
    }

    public override (Tensor Loss, double MetricSum, double MetricCount) Score(Tensor logits, BatchData batch, Device device)
    {
        var target = batch.Target(device);
        var mask = batch.MaskTensor(device)!;
        var perStep = nn.functional.binary_cross_entropy_with_logits(logits, target, reduction: nn.Reduction.None).sum(-1) * mask;
        var sum = perStep.sum();
        var count = mask.sum();
        var loss = sum / count; // every window has at least one real step
        return (loss, sum.item<float>(), count.item<float>());
    }
}
