using System.CommandLine;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Coordinator.Bench;

/// <summary>
/// <c>bench orchestrator|store|scaling|asha</c>: the coordinator-side benchmarks (docs/performance.md). Each prints a
/// table and writes JSON. The orchestrator benchmark runs the FAKE no-op trainer; nothing here is part of a study.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Coordinator benchmarks: dispatch and recording, store writes, scaling, ASHA replay (docs/performance.md)");
        command.Subcommands.Add(Orchestrator());
        command.Subcommands.Add(Store());
        return command;
    }

    private static Option<string> Json(string name) =>
        new("--json") { Description = "where to write the JSON", DefaultValueFactory = _ => Path.Combine("runs", "bench", $"{name}.json") };

    private static Option<string> WorkDirectory() =>
        new("--work-dir") { Description = "folder for the benchmark's stores, study files and logs", DefaultValueFactory = _ => Path.Combine("runs", "bench", "work") };

    private static Command Orchestrator()
    {
        var trials = new Option<int>("--trials") { Description = "trials in the study", DefaultValueFactory = _ => 20_000 };
        var trainers = new Option<int>("--trainers") { Description = "trainer processes", DefaultValueFactory = _ => 2 };
        var slots = new Option<int[]>("--slots") { Description = "slots per trainer (one study per value)", DefaultValueFactory = _ => [1, 8], AllowMultipleArgumentsPerToken = true };
        var logLevel = new Option<string?>("--log-level") { Description = "log level of the coordinator and trainers (default: their default, information)" };
        var dataDir = new Option<string?>("--data-dir") { Description = "benchmark data folder for the trainers (default: RNNSEARCH_DATA or ../shared/data)" };
        var trainerCommand = new Option<string?>("--trainer-command") { Description = "trainer node program (default: the TrainerNode built beside the coordinator)" };
        var timeout = new Option<int>("--timeout") { Description = "seconds one study may take", DefaultValueFactory = _ => 1800 };
        var json = Json("orchestrator");
        var work = WorkDirectory();
        var command = new Command("orchestrator", "Trials dispatched and recorded per second, dispatch latency and coordinator memory: a real coordinator and trainer processes with the no-op trainer")
        {
            trials, trainers, slots, logLevel, dataDir, trainerCommand, timeout, json, work,
        };
        command.SetAction(async (r, cancellation) =>
        {
            if (r.GetValue(trials) < 10) throw new ArgumentException("--trials must be >= 10");
            if (r.GetValue(trainers) < 1) throw new ArgumentException("--trainers must be >= 1");
            var settings = new OrchestratorBenchmark.Settings(r.GetValue(trials), r.GetValue(trainers), r.GetValue(slots)!, r.GetValue(logLevel), r.GetValue(work)!,
                DataDirectory.Resolve(r.GetValue(dataDir)), r.GetValue(trainerCommand), TimeSpan.FromSeconds(r.GetValue(timeout)));
            (await OrchestratorBenchmark.RunAsync(settings, Console.Error, cancellation)).Emit(Console.Out, r.GetValue(json)!);
            return 0;
        });
        return command;
    }

    private static Command Store()
    {
        var trials = new Option<int>("--trials") { Description = "trials written per repetition", DefaultValueFactory = _ => 5000 };
        var batches = new Option<int[]>("--batch") { Description = "trials per transaction (1 = a transaction per write)", DefaultValueFactory = _ => [1, 16, 64, 256], AllowMultipleArgumentsPerToken = true };
        var epochs = new Option<int[]>("--epochs") { Description = "epochs of history per result", DefaultValueFactory = _ => [1, 30], AllowMultipleArgumentsPerToken = true };
        var reps = new Option<int>("--reps") { Description = "repetitions (fresh store each)", DefaultValueFactory = _ => 3 };
        var json = Json("store");
        var work = WorkDirectory();
        var command = new Command("store", "SQLite write cost per result: StudyStore.RecordResult and the whole per-trial write sequence, per transaction and batched")
        {
            trials, batches, epochs, reps, json, work,
        };
        command.SetAction(r =>
        {
            var settings = new StoreWriteBenchmark.Settings(r.GetValue(trials), r.GetValue(batches)!, r.GetValue(epochs)!, r.GetValue(reps), r.GetValue(work)!);
            StoreWriteBenchmark.Run(settings, Console.Error).Emit(Console.Out, r.GetValue(json)!);
            return 0;
        });
        return command;
    }
}
