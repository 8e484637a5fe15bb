using Microsoft.Data.Sqlite;
using static System.FormattableString;
using RnnSearch.Coordinator.Bench;
using RnnSearch.Coordinator.Store;

namespace RnnSearch.Coordinator.Tests;

public class AshaReplayBenchmarkTests
{
    /// <summary>
    /// Four candidates, one seed each, 8 epochs (validation NLL per epoch). "late" starts worst and ends best, so an
    /// early rung drops it and the replay misses the top 2; a first rung at epoch 4 keeps it.
    /// </summary>
    private static readonly Dictionary<string, double[]> Curves = new()
    {
        ["late"] = [9.0, 8.9, 8.8, 8.0, 7.5, 7.2, 7.1, 7.0],
        ["steady"] = [8.0, 7.9, 7.8, 7.7, 7.6, 7.5, 7.4, 7.3],
        ["flat"] = [8.1, 8.1, 8.1, 8.1, 8.1, 8.1, 8.1, 8.1],
        ["bad"] = [8.5, 8.6, 8.7, 8.8, 8.9, 9.0, 9.1, 9.2],
    };

    [Fact]
    public void An_early_rung_drops_the_late_learner_and_a_later_one_recovers_the_top_two_in_both_variants()
    {
        var report = AshaReplayBenchmark.Run(new AshaReplayBenchmark.Settings(SyntheticStore(), 2, [2], [1, 4]));

        var early = report.Rows[0];
        Assert.Equal("1/2/4", early["rungs"]);
        Assert.Equal(false, early["recovered"]);
        // Rung 1: all 4 train 1 epoch, keep 2 (steady, flat); they go on to the end: 4 + 2 × 7 = 18 of 32 epochs.
        Assert.Equal(18, early["epochs"]);
        Assert.Equal(18 / 32.0, (double)early["budget_fraction"]!, 9);
        // ASHA keeps one of two at rungs 2 and 4: late 1 + bad 1 + flat 2 + steady 8 = 12 epochs; its ranking
        // (rung reached, then score there) gives steady > flat, not the grid's late > steady.
        Assert.Equal(12, early["asha_epochs"]);
        Assert.Equal(false, early["asha_recovered"]);

        var later = report.Rows[1];
        Assert.Equal("4", later["rungs"]);
        Assert.Equal(true, later["recovered"]);
        Assert.Equal(true, later["same_order"]);
        // Rung 4: all 4 train 4 epochs (late 8.0 is best-so-far, steady 7.7), keep 2, which train 4 more: 16 + 8.
        Assert.Equal(24, later["epochs"]);
        Assert.Equal(24, later["asha_epochs"]);
        Assert.Equal(true, later["asha_same_order"]);
        Assert.Equal(24 / 32.0, report.Summary["smallest_budget_fraction_recovering_top_k"]);
        Assert.Equal(24 / 32.0, report.Summary["smallest_asha_budget_fraction_recovering_top_k"]);
    }

    [Fact]
    public void A_missing_store_is_named()
    {
        var error = Assert.Throws<Cli.CliError>(() => AshaReplayBenchmark.Run(new AshaReplayBenchmark.Settings("/nonexistent/store.db", 3, [3], [1])));
        Assert.Contains("/nonexistent/store.db", error.Message);
    }

    private static string SyntheticStore()
    {
        var directory = Path.Combine(Path.GetTempPath(), "rnnsearch-asha-replay", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "store.db");
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        void Execute(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
        Execute(StoreSchema.Create);
        Execute("INSERT INTO studies VALUES ('s1', 'synthetic', '', '', '', '2026-01-01T00:00:00Z', NULL)");
        var id = 0;
        foreach (var (name, curve) in Curves)
        {
            id++;
            Execute(Invariant($"INSERT INTO candidates VALUES ('s1', {id}, 'jsb', 'LSTM', '{name}', 1, NULL, '{name}', 1000, '{{}}')"));
            Execute(Invariant($"""
                INSERT INTO trials (study_id, id, candidate_id, phase, idx, seed, state, result_status, valid_metric, epochs)
                VALUES ('s1', {id}, {id}, 'final', 0, 1, 'done', 'ok', {curve.Min()}, {curve.Length})
                """));
            for (var epoch = 1; epoch <= curve.Length; epoch++)
                Execute(Invariant($"INSERT INTO epochs (study_id, trial_id, attempt_id, epoch, valid_metric) VALUES ('s1', {id}, 1, {epoch}, {curve[epoch - 1]})"));
        }
        return path;
    }
}
