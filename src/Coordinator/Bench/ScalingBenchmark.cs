using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using RnnSearch.Shared.Benchmarks;

namespace RnnSearch.Coordinator.Bench;

/// <summary>
/// Wall time of a real study (real training) with 1, 2, … local trainers on this machine: each case is one
/// <c>run STUDY --local-trainers N</c> process with a fresh store, timed from start to exit. Each local trainer gets
/// cores / N torch threads (the run command's default), so every case uses every core. Because a study may cap a
/// trial's seconds, the table also gives the epochs trained and epochs per second, the fair throughput measure.
/// The stores are kept: <c>bench asha --db</c> replays successive halving on their learning curves.
/// </summary>
internal static class ScalingBenchmark
{
    public sealed record Settings(string Study, IReadOnlyList<int> Trainers, string WorkDirectory, string DataDirectory, string? TrainerCommand, TimeSpan Timeout);

    public static async Task<BenchReport> RunAsync(Settings s, TextWriter progress, CancellationToken cancellation)
    {
        var report = new BenchReport("scaling", ["trainers", "threads_per_trainer", "trials", "epochs", "stopped_by_time", "wall_s", "epochs_per_s", "speedup_wall", "speedup_epochs_per_s", "store"]);
        report.Notes.Add($"study {s.Study}, real training; each case: run {s.Study} --local-trainers N (torch threads per trainer = cores / N), wall time from process start to exit (start-up and leaderboard included)");
        report.Notes.Add("speedups are relative to the first case; epochs_per_s = epochs trained by all trials / wall_s (a trial capped by the study's trial_seconds trains fewer epochs)");
        double? firstWall = null, firstRate = null;
        foreach (var trainers in s.Trainers)
        {
            var directory = Path.Combine(Path.GetFullPath(s.WorkDirectory), $"scaling-{trainers}-{DateTime.UtcNow:yyyyMMddHHmmss}");
            Directory.CreateDirectory(directory);
            var store = Path.Combine(directory, "store.db");
            var threads = Math.Max(1, Environment.ProcessorCount / trainers);
            progress.WriteLine($"scaling: {s.Study} with {trainers} local trainer(s) × {threads} thread(s) in {directory}");
            string[] arguments = ["run", s.Study, "--db", store, "--local-trainers", trainers.ToString(CultureInfo.InvariantCulture),
                "--port", BenchPrograms.FreePort().ToString(CultureInfo.InvariantCulture), "--http", "off", "--metrics-port", "0", "--json",
                "--data-dir", s.DataDirectory, "--log-dir", directory, .. s.TrainerCommand is null ? Array.Empty<string>() : ["--trainer-command", s.TrainerCommand]];
            var clock = Stopwatch.StartNew();
            using (var process = BenchProcess.Start($"run-{trainers}", BenchPrograms.Coordinator, arguments, Path.Combine(directory, "run.out")))
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                timeout.CancelAfter(s.Timeout);
                try { await process.WaitForExitAsync(timeout.Token); }
                catch (OperationCanceledException) { throw new Cli.CliError($"the study did not complete within {s.Timeout.TotalSeconds:F0} s; see {directory}/run.out"); }
                if (process.ExitCode != 0) throw new Cli.CliError($"run exited with code {process.ExitCode}; see {directory}/run.out");
            }
            var wall = clock.Elapsed.TotalSeconds;
            var (trials, epochs, stopped) = ReadStore(store);
            var rate = epochs / wall;
            firstWall ??= wall;
            firstRate ??= rate;
            report.Add(("trainers", trainers), ("threads_per_trainer", threads), ("trials", trials), ("epochs", epochs), ("stopped_by_time", stopped), ("wall_s", wall),
                ("epochs_per_s", rate), ("speedup_wall", firstWall / wall), ("speedup_epochs_per_s", rate / firstRate), ("store", store));
        }
        return report;
    }

    private static (long Trials, long Epochs, long StoppedByTime) ReadStore(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), coalesce(sum(epochs), 0), coalesce(sum(result_status = 'stopped'), 0) FROM trials WHERE state = 'done'";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
