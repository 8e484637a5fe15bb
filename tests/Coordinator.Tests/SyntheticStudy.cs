using RnnSearch.Coordinator.Store;
using RnnSearch.Coordinator.Studies;

namespace RnnSearch.Coordinator.Tests;

/// <summary>
/// Test-only stores with made-up results, written through StudyStore's public methods exactly as the coordinator
/// writes them (create, start attempt, epochs, result): known effects make the expected verdicts certain.
/// </summary>
internal static class SyntheticStudy
{
    /// <summary>
    /// jsb, LSTM, 5 seeds: stack is clearly better than the baseline, deep-output clearly worse, deep-gates the same
    /// up to noise; there is no deep-input candidate. Two nodes, 8 epochs per trial.
    /// </summary>
    public const string Toml = """
        name = "synthetic"
        description = "test-only synthetic results: stack better, deep-output worse, deep-gates no difference"
        tasks = ["jsb"]
        cells = ["LSTM"]
        placements = ["baseline", "stack", "deep-output", "deep-gates"]
        budgets = [20000]
        seeds = [1, 2, 3, 4, 5]
        [fidelity]
        max_epochs = 8
        """;

    public static readonly IReadOnlyDictionary<string, double> Effect = new Dictionary<string, double>
    {
        ["baseline"] = 0.0, ["stack"] = -0.30, ["deep-output"] = +0.40, ["deep-gates"] = 0.0,
    };

    /// <summary>Each non-baseline trial's own noise by seed: mean zero, so a zero effect gives no detectable difference.</summary>
    private static readonly double[] OwnNoise = [0.05, -0.05, 0.03, -0.04, 0.01];

    public static string Create(string path, string toml = Toml, IReadOnlyDictionary<string, double>? effect = null, bool complete = true, int leaveRunning = 0)
    {
        effect ??= Effect;
        var definition = StudyFile.Parse(toml, "synthetic.toml");
        var candidates = CandidateGenerator.Expand(definition).Candidates;
        var scheduler = new TrialScheduler(definition, candidates, []);
        var trials = scheduler.CreateInitialTrials();
        using var store = StudyStore.Open(path);
        store.CreateStudy(definition, candidates, trials);
        var i = 0;
        foreach (var trial in trials)
        {
            var candidate = candidates.First(c => c.Id == trial.CandidateId);
            var node = $"node-{1 + i++ % 2}/0";
            var attempt = store.StartAttempt(definition.Id, trial, node, slot: 0);
            if (i > trials.Count - leaveRunning)
            {
                store.RecordEpoch(definition.Id, trial.Id, attempt, 1, 20, 11.0, 0.5, 1000);
                continue;
            }
            // Seed-level noise shared by every family (so pairing by seed removes it) plus a little of each trial's own.
            var seedNoise = 0.15 * Math.Sin(trial.Seed * 1.7);
            var own = OwnNoise[(int)((trial.Seed - 1) % OwnNoise.Length)] * (candidate.Family == "baseline" ? 0 : 1) * (candidate.Family == "deep-gates" ? 1 : 0.3);
            var final = 8.7 + effect[candidate.Family] + seedNoise + own;
            var history = Enumerable.Range(1, definition.MaxEpochs)
                .Select(e => (Epoch: e, TrainLoss: 20.0 / e, Valid: final + 2.5 / e, Seconds: 0.5, Rate: 1000.0)).ToList();
            var outcome = new TrialOutcome("ok", history[^1].Valid, final + 0.05, history.Count, history.Count, candidate.Params, 4.0, "cpu", node, 10.98, null);
            if (!store.RecordResult(definition.Id, trial.Id, attempt, outcome, history)) throw new InvalidOperationException("synthetic result refused");
        }
        if (complete) store.MarkCompleted(definition.Id);
        return definition.Id;
    }

    public static string TemporaryDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "rnnsearch-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
