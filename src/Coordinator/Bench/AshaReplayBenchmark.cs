using System.Globalization;
using Microsoft.Data.Sqlite;
using RnnSearch.Shared.Benchmarks;

namespace RnnSearch.Coordinator.Bench;

/// <summary>
/// How much of a full grid's epoch budget successive halving needs to find the same top-k candidates, replayed on
/// the learning curves a completed study recorded (no training here). A candidate's score at epoch e is the mean
/// over its final trials (seeds) of the best validation metric up to e. Rungs are at min_epochs·η^i; at each rung
/// the best ceil(n/η) candidates go on; the survivors of the last rung train to the end. A trial that ended before a
/// rung (patience, time cap) costs only the epochs it ran. Two variants: "keep k" never keeps fewer than k, so the
/// top k all train to the end; "ASHA" keeps ceil(n/η) down to one and ranks as ASHA does, by the highest rung reached
/// and then the score there (the full-run validation metric for those that trained to the end). Budget fraction =
/// epochs the replay trains / epochs the full grid trained; "recovered" = the replay's top k is the grid's top k
/// (ranked by full-run validation metric) as a set. The store's latest study is replayed.
/// </summary>
internal static class AshaReplayBenchmark
{
    public sealed record Settings(string Store, int TopK, IReadOnlyList<double> ReductionFactors, IReadOnlyList<int> MinEpochs);

    private sealed record Curve(long Candidate, string Spec, double[] BestSoFar, double FinalValid);

    private sealed record Outcome(int Epochs, double Fraction, bool Recovered, bool SameOrder);

    public static BenchReport Run(Settings s)
    {
        var curves = ReadCurves(s.Store);
        if (curves.Count == 0) throw new Cli.CliError($"{s.Store}: no completed final trials with recorded epochs");
        var candidates = curves.GroupBy(c => c.Candidate).ToDictionary(g => g.Key, g => g.ToList());
        if (candidates.Count <= s.TopK) throw new Cli.CliError($"{s.Store}: {candidates.Count} candidates, need more than --top {s.TopK}");
        var fullEpochs = curves.Sum(c => c.BestSoFar.Length);
        var gridTop = TopK(candidates.Keys, candidates, s.TopK);
        var maxEpochs = curves.Max(c => c.BestSoFar.Length);

        var report = new BenchReport("asha", ["eta", "min_epochs", "rungs", "top_k", "epochs", "budget_fraction", "recovered", "same_order",
            "asha_epochs", "asha_budget_fraction", "asha_recovered", "asha_same_order"]);
        report.Notes.Add($"replay on {s.Store}: {candidates.Count} candidates, {curves.Count} final trials, {fullEpochs} epochs in the full grid (max {maxEpochs} per trial)");
        report.Notes.Add($"grid top {s.TopK} by mean validation metric: {string.Join(" > ", gridTop.Select(c => candidates[c][0].Spec))}");
        report.Notes.Add($"epochs/budget_fraction/recovered: never fewer than {s.TopK} kept (all of the top {s.TopK} train to the end); asha_*: down to one kept, ranked by rung reached, then score there");
        double? best = null, bestAsha = null;
        foreach (var eta in s.ReductionFactors)
            foreach (var min in s.MinEpochs)
            {
                var rungs = new List<int>();
                for (double r = min; r < maxEpochs; r *= eta) rungs.Add((int)Math.Round(r));
                var keepK = Replay(candidates, rungs, eta, s.TopK, fullEpochs, gridTop);
                var asha = Replay(candidates, rungs, eta, 1, fullEpochs, gridTop);
                if (keepK.Recovered && (best is null || keepK.Fraction < best)) best = keepK.Fraction;
                if (asha.Recovered && (bestAsha is null || asha.Fraction < bestAsha)) bestAsha = asha.Fraction;
                report.Add(("eta", eta), ("min_epochs", min), ("rungs", string.Join("/", rungs)), ("top_k", s.TopK),
                    ("epochs", keepK.Epochs), ("budget_fraction", keepK.Fraction), ("recovered", keepK.Recovered), ("same_order", keepK.SameOrder),
                    ("asha_epochs", asha.Epochs), ("asha_budget_fraction", asha.Fraction), ("asha_recovered", asha.Recovered), ("asha_same_order", asha.SameOrder));
            }
        report.Summary["smallest_budget_fraction_recovering_top_k"] = best;
        report.Summary["smallest_asha_budget_fraction_recovering_top_k"] = bestAsha;
        return report;
    }

    private static Outcome Replay(Dictionary<long, List<Curve>> candidates, List<int> rungs, double eta, int floor, int fullEpochs, List<long> gridTop)
    {
        var alive = candidates.Keys.ToList();
        var reached = candidates.Keys.ToDictionary(c => c, _ => 0);
        foreach (var rung in rungs)
        {
            foreach (var c in alive) reached[c] = rung;
            var keep = Math.Max(floor, (int)Math.Ceiling(alive.Count / eta));
            if (keep >= alive.Count) continue;
            alive = [.. alive.OrderBy(c => ScoreAt(candidates[c], rung)).Take(keep)];
        }
        foreach (var c in alive) reached[c] = int.MaxValue;
        var epochs = candidates.Sum(kv => kv.Value.Sum(t => Math.Min(reached[kv.Key], t.BestSoFar.Length)));
        var top = candidates.Keys
            .OrderByDescending(c => reached[c])
            .ThenBy(c => reached[c] == int.MaxValue ? candidates[c].Average(t => t.FinalValid) : ScoreAt(candidates[c], reached[c]))
            .Take(gridTop.Count).ToList();
        return new Outcome(epochs, epochs / (double)fullEpochs, top.ToHashSet().SetEquals(gridTop), top.SequenceEqual(gridTop));
    }

    private static List<long> TopK(IEnumerable<long> pool, Dictionary<long, List<Curve>> candidates, int k) =>
        [.. pool.OrderBy(c => candidates[c].Average(t => t.FinalValid)).Take(k)];

    private static double ScoreAt(List<Curve> trials, int epoch) =>
        trials.Average(t => t.BestSoFar[Math.Min(epoch, t.BestSoFar.Length) - 1]);

    private static List<Curve> ReadCurves(string path)
    {
        if (!File.Exists(path)) throw new Cli.CliError($"{path}: no such store");
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        // The latest attempt's row wins for each epoch (a resumed trial's epochs span attempts).
        command.CommandText = """
            SELECT t.id, t.candidate_id, c.spec, t.valid_metric, e.epoch, e.valid_metric
            FROM trials t JOIN candidates c ON c.study_id = t.study_id AND c.id = t.candidate_id
            JOIN epochs e ON e.study_id = t.study_id AND e.trial_id = t.id
            WHERE t.study_id = (SELECT id FROM studies ORDER BY created_at DESC LIMIT 1) AND t.phase = 'final' AND t.state = 'done' AND t.result_status IN ('ok', 'stopped') AND t.valid_metric IS NOT NULL
              AND e.attempt_id = (SELECT max(e2.attempt_id) FROM epochs e2 WHERE e2.study_id = e.study_id AND e2.trial_id = e.trial_id AND e2.epoch = e.epoch)
            ORDER BY t.study_id, t.id, e.epoch
            """;
        using var reader = command.ExecuteReader();
        var rows = new List<(long Trial, long Candidate, string Spec, double Final, int Epoch, double Valid)>();
        while (reader.Read())
            rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetDouble(3), reader.GetInt32(4), reader.IsDBNull(5) ? double.PositiveInfinity : reader.GetDouble(5)));
        return [.. rows.GroupBy(r => r.Trial).Select(g =>
        {
            var best = double.PositiveInfinity;
            var curve = g.OrderBy(r => r.Epoch).Select(r => best = Math.Min(best, double.IsFinite(r.Valid) ? r.Valid : double.PositiveInfinity)).ToArray();
            var first = g.First();
            return new Curve(first.Candidate, first.Spec, curve, first.Final);
        })];
    }
}
