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
        command.Subcommands.Add(Scaling());
        command.Subcommands.Add(Asha());
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
        var dataDir = new Option<string?>("--data-dir") { Description = "benchmark data folder for the trainers (default: RNNSEARCH_DATA, else the repository's data/)" };
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

    private static Command Scaling()
    {
        var study = new Option<string>("--study") { Description = "study file or preset to run", DefaultValueFactory = _ => "quick" };
        var trainers = new Option<int[]>("--trainers") { Description = "local trainer counts to compare (the first is the reference)", DefaultValueFactory = _ => [1, 2], AllowMultipleArgumentsPerToken = true };
        var dataDir = new Option<string?>("--data-dir") { Description = "benchmark data folder (default: RNNSEARCH_DATA, else the repository's data/)" };
        var trainerCommand = new Option<string?>("--trainer-command") { Description = "trainer node program (default: the TrainerNode built beside the coordinator)" };
        var timeout = new Option<int>("--timeout") { Description = "seconds one study may take", DefaultValueFactory = _ => 3600 };
        var json = Json("scaling");
        var work = WorkDirectory();
        var command = new Command("scaling", "Wall time and epochs/s of a real study with 1 vs N local trainers on this machine (real training)")
        {
            study, trainers, dataDir, trainerCommand, timeout, json, work,
        };
        command.SetAction(async (r, cancellation) =>
        {
            if (r.GetValue(trainers)!.Any(t => t < 1)) throw new ArgumentException("--trainers: counts must be >= 1");
            var settings = new ScalingBenchmark.Settings(r.GetValue(study)!, r.GetValue(trainers)!, r.GetValue(work)!, DataDirectory.Resolve(r.GetValue(dataDir)),
                r.GetValue(trainerCommand), TimeSpan.FromSeconds(r.GetValue(timeout)));
            (await ScalingBenchmark.RunAsync(settings, Console.Error, cancellation)).Emit(Console.Out, r.GetValue(json)!);
            return 0;
        });
        return command;
    }

    private static Command Asha()
    {
        var db = new Option<string>("--db") { Description = "store of a completed study run without early stopping (e.g. one bench scaling wrote)", Required = true };
        var top = new Option<int>("--top") { Description = "how many of the best candidates must be recovered", DefaultValueFactory = _ => 3 };
        var etas = new Option<double[]>("--eta") { Description = "reduction factors", DefaultValueFactory = _ => [2, 3, 4], AllowMultipleArgumentsPerToken = true };
        var mins = new Option<int[]>("--min-epochs") { Description = "first rungs", DefaultValueFactory = _ => [1, 2, 3, 5], AllowMultipleArgumentsPerToken = true };
        var json = Json("asha");
        var command = new Command("asha", "Epoch budget successive halving needs to recover a full grid's top candidates, replayed on a store's learning curves")
        {
            db, top, etas, mins, json,
        };
        command.SetAction(r =>
        {
            if (r.GetValue(top) < 1) throw new ArgumentException("--top must be >= 1");
            if (r.GetValue(etas)!.Any(e => e <= 1)) throw new ArgumentException("--eta: reduction factors must be > 1");
            if (r.GetValue(mins)!.Any(m => m < 1)) throw new ArgumentException("--min-epochs: must be >= 1");
            AshaReplayBenchmark.Run(new AshaReplayBenchmark.Settings(r.GetValue(db)!, r.GetValue(top), r.GetValue(etas)!, r.GetValue(mins)!)).Emit(Console.Out, r.GetValue(json)!);
            return 0;
        });
        return command;
    }
}
