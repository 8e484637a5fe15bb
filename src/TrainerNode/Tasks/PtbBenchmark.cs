using RnnSearch.Shared.Common;
using RnnSearch.Shared.Tasks;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Tasks;

/// <summary>
/// Penn Treebank language modelling as one token stream per split (Mikolov's files): words with an &lt;eos&gt; per
/// line (ptb-word, 10k vocabulary, perplexity) or characters with an end-of-line symbol (ptb-char, 50 symbols,
/// bits per character). The stream is cut into B parallel rows and read in truncated-BPTT windows with the state
/// carried from window to window (stateful batches), as Zaremba et al.
/// </summary>
internal sealed class PtbBenchmark : Benchmark
{
    private readonly Dictionary<Split, long[]> _streams;
    private readonly bool _characters;

    public override TaskInfo Info { get; }
    public override int DefaultBptt => _characters ? 100 : 35;
    public IReadOnlyList<string> Vocabulary { get; }

    private PtbBenchmark(TaskInfo info, Dictionary<Split, long[]> streams, IReadOnlyList<string> vocabulary, bool characters)
    {
        Info = info;
        _streams = streams;
        Vocabulary = vocabulary;
        _characters = characters;
    }

    public static PtbBenchmark Load(TaskInfo info, string dataDirectory)
    {
        var characters = info.Name == "ptb-char";
        var files = characters
            ? new[] { "ptb_char/ptb.char.train.txt", "ptb_char/ptb.char.valid.txt", "ptb_char/ptb.char.test.txt" }
            : new[] { "ptb/ptb.train.txt", "ptb/ptb.valid.txt", "ptb/ptb.test.txt" };
        var end = characters ? "<eol>" : "<eos>";
        var tokens = files.Select(f => Tokens(DataFiles.Verified(dataDirectory, f), end)).ToArray();

        // Vocabulary of the training split, most frequent first, ties in ordinal order: the same ids on every node.
        var vocabulary = tokens[0].GroupBy(t => t).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key).ToList();
        if (vocabulary.Count != info.Shape.InputSize)
            throw new DataException($"{files[0]} has {vocabulary.Count} token types, expected {info.Shape.InputSize}");
        var ids = vocabulary.Select((token, id) => (token, id)).ToDictionary(p => p.token, p => (long)p.id);
        var streams = new Dictionary<Split, long[]>();
        foreach (var (split, index) in new[] { (Split.Train, 0), (Split.Valid, 1), (Split.Test, 2) })
        {
            streams[split] = tokens[index].Select(t => ids.TryGetValue(t, out var id) ? id
                : throw new DataException($"{files[index]} has token '{t}' that the training split does not have")).ToArray();
        }
        return new PtbBenchmark(info, streams, vocabulary, characters);
    }

    private static List<string> Tokens(string path, string endOfLine)
    {
        var tokens = new List<string>();
        foreach (var line in File.ReadLines(path))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) continue;
            tokens.AddRange(words);
            tokens.Add(endOfLine);
        }
        return tokens;
    }

    public long StreamLength(Split split) => _streams[split].Length;

    private double? _trivial;

    public override double TrivialValidMetric => _trivial ??= ComputeTrivial();

    private double ComputeTrivial()
    {
        var counts = new double[Vocabulary.Count];
        foreach (var id in _streams[Split.Train]) counts[id]++;
        var total = counts.Sum() + counts.Length;
        var valid = _streams[Split.Valid];
        var sum = valid.Skip(1).Sum(id => -Math.Log((counts[id] + 1) / total));
        return Metric(sum, valid.Length - 1);
    }

    public override long ScoredElements(Split split) => _streams[split].Length - 1;

    public override IEnumerable<BatchData> Batches(Split split, int batchSize, int bptt, SeededRandom? shuffle) =>
        Windows(split, batchSize, bptt, 0);

    /// <summary>
    /// A limited epoch starts where the previous one stopped: at window (epoch − 1)·limit, wrapping around the end of
    /// the stream, so that successive epochs train on successive parts of the stream rather than on its first
    /// windows again, and the epoch number alone (a resumed trial has it) says where.
    /// </summary>
    public override IEnumerable<BatchData> TrainingBatches(int batchSize, int bptt, SeededRandom shuffle, int epoch, int? limit)
    {
        var count = WindowCount(Split.Train, batchSize, bptt);
        var first = limit is { } max && max < count ? (long)(epoch - 1) * max % count : 0;
        return Windows(Split.Train, batchSize, bptt, first);
    }

    /// <summary>Windows of <paramref name="bptt"/> steps over the B rows of the split.</summary>
    public long WindowCount(Split split, int batchSize, int bptt) => (Columns(split, batchSize) + bptt - 1) / bptt;

    private long Columns(Split split, int rows)
    {
        var stream = _streams[split];
        var columns = (stream.Length - 1) / rows;
        if (columns < 1) throw new DataException($"{Info.Name} {split} has {stream.Length} tokens, fewer than the batch size {rows}");
        return columns;
    }

    /// <summary>
    /// Every window once, from window <paramref name="first"/> on and around. The state is carried from window to
    /// window except at the first one and where the stream starts again.
    /// </summary>
    private IEnumerable<BatchData> Windows(Split split, int batchSize, int bptt, long first)
    {
        var stream = _streams[split];
        var rows = batchSize;
        var columns = Columns(split, rows);
        var count = WindowCount(split, batchSize, bptt);
        for (long i = 0; i < count; i++)
        {
            var window = (first + i) % count;
            var start = window * bptt;
            var steps = Math.Min(bptt, columns - start);
            var input = new long[steps * rows];
            var target = new long[steps * rows];
            for (var b = 0; b < rows; b++)
            {
                var offset = b * columns + start;
                for (var t = 0; t < steps; t++)
                {
                    input[t * rows + b] = stream[offset + t];
                    target[t * rows + b] = stream[offset + t + 1];
                }
            }
            yield return new BatchData(steps, rows, [steps, rows], null, input, [steps * rows], null, target, null, ResetState: i == 0 || window == 0);
        }
    }

    public override (Tensor Loss, double MetricSum, double MetricCount) Score(Tensor logits, BatchData batch, Device device)
    {
        var target = batch.Target(device);
        var loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), target);
        var count = batch.Steps * batch.Rows;
        return (loss, loss.item<float>() * (double)count, count);
    }

    /// <summary>Perplexity for words, bits per character for characters.</summary>
    public override double Metric(double sum, double count) => _characters ? sum / count / Math.Log(2) : Math.Exp(sum / count);
}
