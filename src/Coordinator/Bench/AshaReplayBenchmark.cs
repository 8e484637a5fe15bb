using System.Globalization;
using Microsoft.Data.Sqlite;
using RnnSearch.Shared.Benchmarks;

namespace RnnSearch.Coordinator.Bench;

/// <summary>
/// How much of a full grid's epoch budget successive halving needs to find the same top-k candidates, replayed on
/// the learning curves a completed study recorded (no training here). A candidate's score at epoch e is the mean
/// over its final trials (seeds) of the best validation metric up to e. Rungs are at min_epochs·η^i; at each rung
/// the best ceil(n/η) candidates go on, never fewer than k; the survivors of the last rung train to the end. A
/// trial that ended before a rung (patience, time cap) costs only the epochs it ran. Budget fraction = epochs the
/// replay trains / epochs the full grid trained; "recovered" = the replay's top k (ranked by full-run validation
/// metric) is the grid's top k as a set. The store's latest study is replayed.
/// </summary>
internal static class AshaReplayBenchmark
{
    public sealed record Settings(string Store, int TopK, IReadOnlyList<double> ReductionFactors, IReadOnlyList<int> MinEpochs);

    private sealed record Curve(long Candidate, string Spec, double[] BestSoFar, double FinalValid);

    public static BenchReport Run(Settings s)
    {
        var curves = ReadCurves(s.Store);
        if (curves.Count == 0) throw new Cli.CliError($"{s.Store}: no completed final trials with recorded epochs");
        var candidates = curves.GroupBy(c => c.Candidate).ToDictionary(g => g.Key, g => g.ToList());
        if (candidates.Count <= s.TopK) throw new Cli.CliError($"{s.Store}: {candidates.Count} candidates, need more than --top {s.TopK}");
        var fullEpochs = curves.Sum(c => c.BestSoFar.Length);
        var gridTop = TopK(candidates.Keys, candidates, s.TopK);
        var maxEpochs = curves.Max(c => c.BestSoFar.Length);

        var report = new BenchReport("asha", ["eta", "min_epochs", "rungs", "epochs", "budget_fraction", "top_k", "recovered", "same_order"]);
        report.Notes.Add($"replay on {s.Store}: {candidates.Count} candidates, {curves.Count} final trials, {fullEpochs} epochs in the full grid (max {maxEpochs} per trial)");
        report.Notes.Add($"grid top {s.TopK} by mean validation metric: {string.Join(" > ", gridTop.Select(c => candidates[c][0].Spec))}");
        double? best = null;
        foreach (var eta in s.ReductionFactors)
            foreach (var min in s.MinEpochs)
            {
                var rungs = new List<int>();
                for (double r = min; r < maxEpochs; r *= eta) rungs.Add((int)Math.Round(r));
                var alive = candidates.Keys.ToList();
                var trainedTo = candidates.Keys.ToDictionary(c => c, _ => 0);
                foreach (var rung in rungs)
                {
                    foreach (var c in alive) trainedTo[c] = rung;
                    var keep = Math.Max(s.TopK, (int)Math.Ceiling(alive.Count / eta));
                    if (keep >= alive.Count) continue;
                    alive = [.. alive.OrderBy(c => ScoreAt(candidates[c], rung)).Take(keep)];
                }
                foreach (var c in alive) trainedTo[c] = int.MaxValue;
                var epochs = candidates.Sum(kv => kv.Value.Sum(t => Math.Min(trainedTo[kv.Key], t.BestSoFar.Length)));
                var top = TopK(alive, candidates, s.TopK);
                var recovered = top.ToHashSet().SetEquals(gridTop);
                var fraction = epochs / (double)fullEpochs;
                if (recovered && (best is null || fraction < best)) best = fraction;
                report.Add(("eta", eta), ("min_epochs", min), ("rungs", string.Join("/", rungs)), ("epochs", epochs), ("budget_fraction", fraction), ("top_k", s.TopK),
                    ("recovered", recovered), ("same_order", top.SequenceEqual(gridTop)));
            }
        report.Summary["smallest_budget_fraction_recovering_top_k"] = best;
        return report;
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
