namespace RnnSearch.Shared.Tasks;

/// <summary>
/// Every task by name. Shapes are fixed here so the coordinator can count parameters and solve budgets
/// without reading any data; the trainer checks the data it loads against them.
/// <see cref="TaskInfo.TrivialMetric"/> is the score of a model that ignores its input (for trainability):
/// for music the NLL of predicting every key with probability 0.5 would be 88·ln2 ≈ 61; we use the stricter
/// per-set "always predict the training key frequencies" value computed by the trainer when it reports, so
/// here it is only an upper bound used before any result exists.
/// </summary>
public static class TaskCatalog
{
    public const int PianoKeys = 88;
    public const int PtbWordVocabulary = 10_000;
    /// <summary>49 character types of ptb.char.train.txt (with '_' for the word boundary) plus an end-of-line symbol.</summary>
    public const int PtbCharVocabulary = 50;
    public const int CopySymbols = 10;

    private static readonly TaskInfo[] All =
    [
        // Train steps per epoch from data/README.md: time steps minus one per sequence (the first is only input).
        Music("jsb", "JSB Chorales piano rolls (Boulanger-Lewandowski 2012)", 13_807 - 229),
        Music("nottingham", "Nottingham folk tunes piano rolls", 176_561 - 694),
        Music("musedata", "MuseData piano rolls", 245_202 - 524),
        Music("piano", "Piano-midi.de piano rolls", 75_911 - 87),
        new("ptb-word", new TaskShape(PtbWordVocabulary, PtbWordVocabulary, TokenInput: true, OutputKind.Categorical), "ppl",
            "Penn Treebank words (Mikolov, 10k vocabulary), perplexity", PtbWordVocabulary, 929_589 - 1),
        new("ptb-char", new TaskShape(PtbCharVocabulary, PtbCharVocabulary, TokenInput: true, OutputKind.Categorical), "bpc",
            "Penn Treebank characters, bits per character", Math.Log2(PtbCharVocabulary), 5_017_482 - 1),
        new("adding", new TaskShape(2, 1, TokenInput: false, OutputKind.Regression), "mse",
            "Hochreiter's adding problem (synthetic, length T)", 1.0 / 6.0),
        new("copy", new TaskShape(CopySymbols, CopySymbols, TokenInput: false, OutputKind.Categorical), "xent",
            "copy-memory task (synthetic, lag T), cross-entropy per copied symbol", Math.Log(8)),
    ];

    private static TaskInfo Music(string name, string description, long trainSteps) =>
        new(name, new TaskShape(PianoKeys, PianoKeys, TokenInput: false, OutputKind.Bernoulli), "nll", description, PianoKeys * Math.Log(2), trainSteps);

    public static IReadOnlyList<TaskInfo> Tasks => All;

    public static IEnumerable<string> Names => All.Select(t => t.Name);

    public static TaskInfo Get(string name) =>
        All.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown task '{name}'; allowed: {string.Join(", ", Names)}");

    public static bool TryGet(string name, out TaskInfo? task)
    {
        task = All.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        return task is not null;
    }
}
