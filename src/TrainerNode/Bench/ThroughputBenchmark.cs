using System.Diagnostics;
using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Benchmarks;
using RnnSearch.Shared.Measures;
using RnnSearch.Shared.Tasks;
using RnnSearch.TrainerNode.Training;

namespace RnnSearch.TrainerNode.Bench;

/// <summary>
/// Trial throughput of one node: epochs per second (training + the validation pass of each epoch, as TrialRunner
/// runs them) of the quick study's candidates — its seven placements solved to its budget, trained with its settings
/// — for each split of the cores into slots × torch threads. A split with S slots runs S trials of the candidate at
/// once (one dedicated thread each, different seeds), as a trainer node with S slots does; its throughput is the sum.
/// Splits are interleaved within each repetition so that load from other processes hits them alike.
/// </summary>
internal static class ThroughputBenchmark
{
    public sealed record Settings(IReadOnlyList<(string Name, string Spec)> Candidates, long Budget, string Task, int Epochs, int Repetitions,
        IReadOnlyList<(int Slots, int Threads)> Splits, double LearningRate, int BatchSize, string DataDirectory);

    /// <summary>studies/quick.toml: LSTM, depth 2, ~50k parameters on JSB.</summary>
    public static readonly IReadOnlyList<(string Name, string Spec)> QuickStudy =
    [
        ("baseline", "LSTM"), ("stack", "LSTM:layers=2"), ("deep-input", "LSTM:input_depth=1"),
        ("deep-transition-shortcut", "LSTM:transition_depth=2,shortcut=true"), ("deep-output", "LSTM:output_depth=1"),
        ("deep-gates", "LSTM:gate_depth=2"), ("deep-readout", "LSTM:readout_depth=1"),
    ];

    public static BenchReport Run(Settings s, TextWriter progress)
    {
        var report = new BenchReport("throughput", ["candidate", "spec", "params", "path", "slots", "threads", "epochs_per_s", "cpu_s_per_epoch", "vs_1x1"]);
        report.Notes.Add($"task {s.Task}, batch {s.BatchSize}, lr {s.LearningRate}, {s.Epochs} epochs per trial (each with its validation pass), one warm-up trial, {s.Repetitions} repetitions (median), splits interleaved");
        report.Notes.Add("epochs_per_s = epochs of all slots / wall time of the split; vs_1x1 = that divided by 1 slot × 1 thread of the same repetition (median)");
        var shape = TaskCatalog.Get(s.Task).Shape;
        var solved = s.Candidates.Select(c => (c.Name, Spec: BudgetSolver.Solve(ArchSpecParser.Parse(c.Spec), shape, s.Budget))).ToList();
        var times = new Dictionary<(string, int, int), List<(double Rate, double Cpu)>>();
        Measure(s with { Epochs = 1 }, solved[0].Spec, 1, 1, seed: 99); // warm-up: data loading, JIT, torch's first calls
        for (var rep = 0; rep < s.Repetitions; rep++)
            foreach (var (name, spec) in solved)
            foreach (var (slots, threads) in s.Splits)
            {
                var (rate, cpu) = Measure(s, spec, slots, threads, seed: rep + 1);
                if (!times.TryGetValue((name, slots, threads), out var list)) times[(name, slots, threads)] = list = [];
                list.Add((rate, cpu));
                progress.WriteLine($"  rep {rep + 1}: {name} {slots} slot(s) × {threads} thread(s): {rate:F2} epochs/s");
            }

        var total = new Dictionary<(int, int), double>();
        foreach (var (name, spec) in solved)
            foreach (var (slots, threads) in s.Splits)
            {
                var runs = times[(name, slots, threads)];
                var reference = times.GetValueOrDefault((name, 1, 1));
                var rate = BenchStatistics.Median(runs.Select(r => r.Rate));
                total[(slots, threads)] = total.GetValueOrDefault((slots, threads)) + 1 / rate;
                report.Add(("candidate", name), ("spec", spec.ToString()), ("params", ModelLayout.Total(spec, shape)), ("path", spec.IsPlainRecurrence ? "built-in" : "generic"),
                    ("slots", slots), ("threads", threads), ("epochs_per_s", rate), ("cpu_s_per_epoch", BenchStatistics.Median(runs.Select(r => r.Cpu))),
                    ("vs_1x1", reference is null ? double.NaN : BenchStatistics.Median(runs.Select((r, i) => r.Rate / reference[i].Rate))));
            }
        // One epoch of every candidate in turn: the harmonic view of a study that trains them all.
        foreach (var ((slots, threads), seconds) in total)
            report.Summary[$"all candidates, {slots} slot(s) × {threads} thread(s): epochs/s"] = s.Candidates.Count / seconds;
        var best = total.MinBy(p => p.Value).Key;
        report.Summary["best split"] = $"{best.Item1} slot(s) × {best.Item2} thread(s)";
        return report;
    }

    /// <summary>Epochs per second of <paramref name="slots"/> trials trained at once with the given torch threads, and CPU seconds per epoch.</summary>
    private static (double Rate, double CpuPerEpoch) Measure(Settings s, ArchSpec spec, int slots, int threads, int seed)
    {
        TorchRuntime.SetThreads(threads);
        var configs = Enumerable.Range(0, slots).Select(i => new TrialConfig
        {
            Spec = spec.ToString(), Task = s.Task, MaxEpochs = s.Epochs, Patience = s.Epochs + 1, LearningRate = s.LearningRate, BatchSize = s.BatchSize,
            Seed = seed * 100 + i, DataDirectory = s.DataDirectory,
        }).ToList();
        var cpu = CpuClock.ProcessMilliseconds();
        var clock = Stopwatch.StartNew();
        // A fresh thread per slot: torch applies its thread count to a thread when it first runs parallel work there.
        var workers = configs.Select(config => new Thread(() => new TrialRunner().Run(config)) { Name = "bench slot" }).ToList();
        foreach (var worker in workers) worker.Start();
        foreach (var worker in workers) worker.Join();
        var epochs = slots * s.Epochs;
        return (epochs / clock.Elapsed.TotalSeconds, (CpuClock.ProcessMilliseconds() - cpu) / 1000 / epochs);
    }
}
