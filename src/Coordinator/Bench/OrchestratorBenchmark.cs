using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using RnnSearch.Shared.Benchmarks;

namespace RnnSearch.Coordinator.Bench;

/// <summary>
/// Dispatch and recording through the real thing: a coordinator process (<c>run STUDY --http off</c>) and trainer
/// processes on loopback with the FAKE no-op trainer (<c>--noop-trainer-for-benchmarks 0</c>, results at once), for a
/// study of many trials (a few small specs × many seeds, one epoch each). Measures trials recorded per second (overall
/// and steady state, from the store's timestamps), dispatch latency request → assignment as the trainers see it (their
/// rnnsearch_dispatch_latency_seconds histograms), and the coordinator's resident memory when the study completes.
/// </summary>
internal static class OrchestratorBenchmark
{
    public sealed record Settings(int Trials, int Trainers, IReadOnlyList<int> Slots, string? LogLevel, string WorkDirectory, string DataDirectory,
        string? TrainerCommand, TimeSpan Timeout);

    private static readonly string[] Specs = ["LSTM:hidden=8", "GRU:hidden=8", "RNN:hidden=8", "LSTM:hidden=16"];

    public static async Task<BenchReport> RunAsync(Settings s, TextWriter progress, CancellationToken cancellation)
    {
        var report = new BenchReport("orchestrator", ["trainers", "slots", "trials", "recorded", "wall_s", "trials_per_s", "steady_trials_per_s",
            "dispatch_p50_ms", "dispatch_p90_ms", "dispatch_p99_ms", "coordinator_rss_mb", "coordinator_peak_rss_mb", "coordinator_cpu_ms_per_trial", "trainers_cpu_ms_per_trial", "steady_coordinator_cpu_ms_per_trial",
            "steady_trainers_cpu_ms_per_trial", "attempts", "store_mb"]);
        report.Notes.Add($"coordinator + {s.Trainers} trainer processes on loopback, FAKE no-op trainer (answers at once); study: {Specs.Length} specs × {Math.Ceiling(s.Trials / (double)Specs.Length)} seeds, 1 epoch each; log level {s.LogLevel ?? "default (information)"}");
        report.Notes.Add("cpu_ms_per_trial = CPU time (user + system) of the process(es) from start to completion / trials (start-up included); steady_* = the same between 10 % and 90 % of the results recorded: what a trial costs whatever the load from other processes");
        report.Notes.Add("trials_per_s = recorded / (last completed_at − first attempt started_at); steady = middle 80 % of results; dispatch = trainers' request→assignment histogram (bucket-interpolated)");
        foreach (var slots in s.Slots)
        {
            var row = await RunOnceAsync(s, slots, progress, cancellation);
            report.Add([.. row]);
        }
        return report;
    }

    private static async Task<List<(string, object?)>> RunOnceAsync(Settings s, int slots, TextWriter progress, CancellationToken cancellation)
    {
        var directory = Path.Combine(Path.GetFullPath(s.WorkDirectory), $"orchestrator-{s.Trials}-t{s.Trainers}-s{slots}-{DateTime.UtcNow:yyyyMMddHHmmss}");
        Directory.CreateDirectory(directory);
        var studyPath = Path.Combine(directory, "study.toml");
        File.WriteAllText(studyPath, StudyToml(s.Trials));
        var store = Path.Combine(directory, "store.db");
        var port = BenchPrograms.FreePort();
        var level = s.LogLevel is null ? Array.Empty<string>() : ["--log-level", s.LogLevel];
        progress.WriteLine($"orchestrator: {s.Trials} trials, {s.Trainers} trainers × {slots} slots in {directory}");

        var clock = Stopwatch.StartNew();
        using var coordinator = BenchProcess.Start("coordinator", BenchPrograms.Coordinator,
            ["run", studyPath, "--db", store, "--port", port.ToString(CultureInfo.InvariantCulture), "--http", "off", "--json", "--metrics-port", "0", "--log-dir", directory, .. level],
            Path.Combine(directory, "coordinator.out"));
        var complete = coordinator.WhenLine(" complete in ");
        var listening = coordinator.WhenLine("Coordinator at ");
        await Task.WhenAny(listening, coordinator.WaitForExitAsync(cancellation));
        if (coordinator.HasExited) throw new Cli.CliError($"the coordinator exited with code {coordinator.ExitCode}; see {directory}/coordinator.out");

        var trainers = new List<(BenchProcess Process, int MetricsPort)>();
        try
        {
            for (var i = 1; i <= s.Trainers; i++)
            {
                var metricsPort = BenchPrograms.FreePort();
                trainers.Add((BenchProcess.Start($"trainer-{i}", BenchPrograms.Trainer(s.TrainerCommand),
                    ["--seed-nodes", $"akka.tcp://rnnsearch@127.0.0.1:{port}", "--node-id", $"bench-trainer-{i}", "--slots", slots.ToString(CultureInfo.InvariantCulture),
                        "--threads", "1", "--noop-trainer-for-benchmarks", "0", "--metrics-port", metricsPort.ToString(CultureInfo.InvariantCulture),
                        "--log-dir", directory, "--data-dir", s.DataDirectory, .. level],
                    Path.Combine(directory, $"trainer-{i}.out")), metricsPort));
            }

            long peakRss = 0, lastRss = 0;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(s.Timeout);
            var samples = new List<(long Done, double Coordinator, double Trainers)>();
            var nextSample = TimeSpan.Zero;
            while (!complete.IsCompleted && !coordinator.HasExited)
            {
                if (coordinator.MemoryBytes() is { } rss) { lastRss = rss; peakRss = Math.Max(peakRss, rss); }
                if (clock.Elapsed >= nextSample)
                {
                    nextSample = clock.Elapsed + TimeSpan.FromMilliseconds(500);
                    if (CountDone(store) is { } done)
                        samples.Add((done, coordinator.CpuSeconds() ?? double.NaN, trainers.Sum(t => t.Process.CpuSeconds() ?? double.NaN)));
                }
                try { await Task.Delay(100, timeout.Token); }
                catch (OperationCanceledException) { throw new Cli.CliError($"the study did not complete within {s.Timeout.TotalSeconds:F0} s; see {directory}"); }
            }
            var wall = clock.Elapsed.TotalSeconds;
            var coordinatorCpu = coordinator.CpuSeconds() ?? double.NaN;
            var trainersCpu = trainers.Sum(t => t.Process.CpuSeconds() ?? double.NaN);
            if (coordinator.MemoryBytes() is { } finalRss) lastRss = finalRss;
            peakRss = Math.Max(peakRss, coordinator.MemoryBytes("VmHWM") ?? 0);

            var dispatch = new PrometheusHistogram();
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
                foreach (var (_, metricsPort) in trainers)
                    dispatch.Add(await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics", cancellation), "rnnsearch_dispatch_latency_seconds");

            using (var exit = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
            {
                exit.CancelAfter(TimeSpan.FromSeconds(120));
                try { await coordinator.WaitForExitAsync(exit.Token); } catch (OperationCanceledException) { }
            }

            var (recorded, attempts, overall, steady) = ReadStore(store);
            var window = samples.Where(x => x.Done >= 0.1 * s.Trials && x.Done <= 0.9 * s.Trials).ToList();
            double steadyCoordinator = double.NaN, steadyTrainers = double.NaN;
            if (window.Count >= 2 && window[^1].Done > window[0].Done)
            {
                var trials = (double)(window[^1].Done - window[0].Done);
                steadyCoordinator = (window[^1].Coordinator - window[0].Coordinator) * 1000 / trials;
                steadyTrainers = (window[^1].Trainers - window[0].Trainers) * 1000 / trials;
            }
            var result = new List<(string, object?)>
            {
                ("trainers", s.Trainers), ("slots", slots), ("trials", s.Trials), ("recorded", recorded), ("wall_s", wall), ("trials_per_s", overall),
                ("steady_trials_per_s", steady), ("dispatch_p50_ms", dispatch.Percentile(50) * 1000), ("dispatch_p90_ms", dispatch.Percentile(90) * 1000),
                ("dispatch_p99_ms", dispatch.Percentile(99) * 1000), ("coordinator_rss_mb", lastRss / 1048576.0), ("coordinator_peak_rss_mb", peakRss / 1048576.0),
                ("coordinator_cpu_ms_per_trial", coordinatorCpu * 1000 / s.Trials), ("trainers_cpu_ms_per_trial", trainersCpu * 1000 / s.Trials),
                ("steady_coordinator_cpu_ms_per_trial", steadyCoordinator), ("steady_trainers_cpu_ms_per_trial", steadyTrainers),
                ("attempts", attempts), ("store_mb", new FileInfo(store).Length / 1048576.0),
            };
            progress.WriteLine($"  {recorded}/{s.Trials} recorded, {overall:F0} trials/s (steady {steady:F0}), dispatch p50 {dispatch.Percentile(50) * 1000:F2} ms, p99 {dispatch.Percentile(99) * 1000:F2} ms, coordinator RSS {lastRss / 1048576.0:F0} MB, CPU per trial: coordinator {coordinatorCpu * 1000 / s.Trials:F2} ms (steady {steadyCoordinator:F2}), trainers {trainersCpu * 1000 / s.Trials:F2} ms (steady {steadyTrainers:F2})");
            return result;
        }
        finally
        {
            foreach (var (process, _) in trainers) process.Dispose();
        }
    }

    internal static string StudyToml(int trials)
    {
        var seeds = (int)Math.Ceiling(trials / (double)Specs.Length);
        var text = new StringBuilder();
        text.AppendLine("name = \"bench-orchestrator\"");
        text.AppendLine($"description = \"orchestrator benchmark: {Specs.Length} specs x {seeds} seeds answered by no-op trainers\"");
        text.AppendLine("tasks = [\"jsb\"]");
        text.AppendLine($"specs = [{string.Join(", ", Specs.Select(x => $"\"{x}\""))}]");
        text.AppendLine($"seeds = [{string.Join(", ", Enumerable.Range(1, seeds))}]");
        text.AppendLine("[fidelity]");
        text.AppendLine("max_epochs = 1");
        text.AppendLine("min_epochs = 1");
        return text.ToString();
    }

    /// <summary>Trials recorded so far (a read-only connection beside the coordinator's; null while the store is not there yet).</summary>
    private static long? CountDone(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM trials WHERE state='done'";
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            return null;
        }
    }

    /// <summary>Results, attempts, and the recording rate overall and over the middle 80 % of results.</summary>
    private static (long Recorded, long Attempts, double Overall, double Steady) ReadStore(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        long Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        List<DateTimeOffset> Times(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var list = new List<DateTimeOffset>();
            while (reader.Read()) list.Add(DateTimeOffset.Parse(reader.GetString(0), CultureInfo.InvariantCulture));
            return list;
        }
        var recorded = Scalar("SELECT count(*) FROM trials WHERE state='done' AND result_status='ok'");
        var attempts = Scalar("SELECT count(*) FROM attempts");
        var completed = Times("SELECT completed_at FROM trials WHERE completed_at IS NOT NULL ORDER BY completed_at");
        var started = Times("SELECT min(started_at) FROM attempts");
        if (completed.Count < 2 || started.Count == 0) return (recorded, attempts, double.NaN, double.NaN);
        var overall = completed.Count / (completed[^1] - started[0]).TotalSeconds;
        var low = completed[(int)(completed.Count * 0.1)];
        var high = completed[(int)(completed.Count * 0.9) - 1];
        var steady = (int)(completed.Count * 0.9) - (int)(completed.Count * 0.1) - 1;
        return (recorded, attempts, overall, steady / Math.Max((high - low).TotalSeconds, 1e-6));
    }
}
