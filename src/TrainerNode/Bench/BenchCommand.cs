using System.CommandLine;
using RnnSearch.TrainerNode.Training;

namespace RnnSearch.TrainerNode.Bench;

/// <summary>
/// <c>bench kernels|throughput</c>: the torch-side benchmarks (docs/performance.md). Each prints a table and writes
/// JSON; timings are medians of interleaved repetitions within the one run.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Torch-side benchmarks: generic vs built-in kernels, trial throughput (docs/performance.md)");
        command.Subcommands.Add(Kernels());
        command.Subcommands.Add(Throughput());
        return command;
    }

    private static Command Kernels()
    {
        var cells = new Option<string[]>("--cells") { Description = "cells to measure", DefaultValueFactory = _ => ["LSTM", "GRU"], AllowMultipleArgumentsPerToken = true };
        var hidden = new Option<int[]>("--hidden") { Description = "hidden sizes", DefaultValueFactory = _ => [128, 512], AllowMultipleArgumentsPerToken = true };
        var layers = new Option<int[]>("--layers") { Description = "layer counts", DefaultValueFactory = _ => [1, 2], AllowMultipleArgumentsPerToken = true };
        var variants = new Option<string[]>("--variants")
        {
            Description = $"variants ({string.Join(", ", KernelBenchmark.AllVariants.Keys)}); builtin is the reference",
            DefaultValueFactory = _ => [.. KernelBenchmark.DefaultVariants], AllowMultipleArgumentsPerToken = true,
        };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 32 };
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => 100 };
        var input = new Option<int>("--input") { Description = "input (and output) size", DefaultValueFactory = _ => 88 };
        var warmup = new Option<int>("--warmup") { DefaultValueFactory = _ => 2 };
        var reps = new Option<int>("--reps") { Description = "timed repetitions per variant", DefaultValueFactory = _ => 7 };
        var threads = new Option<int[]>("--threads") { Description = "torch thread counts to measure", DefaultValueFactory = _ => [1, Environment.ProcessorCount], AllowMultipleArgumentsPerToken = true };
        var json = new Option<string>("--json") { Description = "where to write the JSON", DefaultValueFactory = _ => Path.Combine("runs", "bench", "kernels.json") };
        var command = new Command("kernels", "Forward+backward per batch: generic layers vs TorchSharp's built-in LSTM/GRU (ratios within one run)")
        {
            cells, hidden, layers, variants, batch, steps, input, warmup, reps, threads, json,
        };
        command.SetAction(r =>
        {
            var unknown = r.GetValue(variants)!.Where(v => !KernelBenchmark.AllVariants.ContainsKey(v)).ToList();
            if (unknown.Count > 0) throw new ArgumentException($"--variants: unknown {string.Join(", ", unknown)}");
            var settings = new KernelBenchmark.Settings(r.GetValue(cells)!, r.GetValue(hidden)!, r.GetValue(layers)!, r.GetValue(threads)!.Distinct().ToList(), r.GetValue(batch), r.GetValue(steps), r.GetValue(input),
                r.GetValue(warmup), r.GetValue(reps), r.GetValue(variants)!);
            KernelBenchmark.Run(settings, Console.Error).Emit(Console.Out, r.GetValue(json)!);
            return 0;
        });
        return command;
    }

    private static Command Throughput()
    {
        var epochs = new Option<int>("--epochs") { Description = "epochs per trial", DefaultValueFactory = _ => 2 };
        var reps = new Option<int>("--reps") { Description = "repetitions", DefaultValueFactory = _ => 3 };
        var splits = new Option<string[]>("--splits")
        {
            Description = "slots x threads to compare, e.g. 1x1 1x2 2x1", AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => ["1x1", $"1x{Environment.ProcessorCount}", $"{Environment.ProcessorCount}x1"],
        };
        var candidates = new Option<string[]>("--candidates") { Description = "placements of the quick study to measure (default: all seven)", AllowMultipleArgumentsPerToken = true };
        var dataDir = new Option<string?>("--data-dir") { Description = "benchmark data folder (default: RNNSEARCH_DATA, else the repository's data/)" };
        var json = new Option<string>("--json") { Description = "where to write the JSON", DefaultValueFactory = _ => Path.Combine("runs", "bench", "throughput.json") };
        var command = new Command("throughput", "Epochs/s of the quick study's candidates for slots × threads splits of this machine's cores")
        {
            epochs, reps, splits, candidates, dataDir, json,
        };
        command.SetAction(r =>
        {
            var parsed = r.GetValue(splits)!.Select(ParseSplit).Distinct().ToList();
            var chosen = r.GetValue(candidates) is { Length: > 0 } names
                ? names.Select(n => ThroughputBenchmark.QuickStudy.FirstOrDefault(c => c.Name == n) is { Name: not null } c ? c : throw new ArgumentException($"--candidates: unknown {n}")).ToList()
                : ThroughputBenchmark.QuickStudy;
            var settings = new ThroughputBenchmark.Settings(chosen, 50_000, "jsb", r.GetValue(epochs), r.GetValue(reps), parsed, 0.006, 8,
                Shared.Tasks.DataDirectory.Resolve(r.GetValue(dataDir)));
            ThroughputBenchmark.Run(settings, Console.Error).Emit(Console.Out, r.GetValue(json)!);
            return 0;
        });
        return command;
    }

    private static (int Slots, int Threads) ParseSplit(string text)
    {
        var parts = text.Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var slots) || !int.TryParse(parts[1], out var threads) || slots < 1 || threads < 1)
            throw new ArgumentException($"--splits {text}: expected SLOTSxTHREADS, e.g. 2x1");
        return (slots, threads);
    }
}
