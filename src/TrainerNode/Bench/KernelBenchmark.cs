using System.Diagnostics;
using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Benchmarks;
using RnnSearch.Shared.Measures;
using RnnSearch.Shared.Tasks;
using RnnSearch.TrainerNode.Models;
using RnnSearch.TrainerNode.Training;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Bench;

/// <summary>
/// Forward+backward time of one batch (CPU, dense input 88 → 88 outputs, MSE loss) for the built-in module
/// (RnnModel's fast path: nn.LSTM/GRU/RNN) and the generic layers (RnnModel with preferBuiltin: false), plain and
/// with a deep transition of depth 2 (DT: trunk replaces [h, x]; DT(S): trunk added to the plain path). Every
/// repetition times each variant once, in turn, so that load from other processes hits all of them alike; the
/// table gives medians and the median of the per-repetition ratios to the built-in module (per FLOP for the deep
/// cells, with FLOPs per step from <see cref="FlopCounter"/>).
/// </summary>
internal static class KernelBenchmark
{
    public sealed record Settings(IReadOnlyList<string> Cells, IReadOnlyList<int> Hidden, IReadOnlyList<int> Layers, IReadOnlyList<int> Threads, int Batch, int Steps,
        int Input, int Warmup, int Repetitions, IReadOnlyList<string> Variants);

    /// <summary>The variants: name → spec suffix after the cell and sizes, and whether the built-in module may be used.</summary>
    public static readonly IReadOnlyDictionary<string, (string Keys, bool Builtin)> AllVariants = new Dictionary<string, (string, bool)>
    {
        ["builtin"] = ("", true),
        ["generic"] = ("", false),
        ["dt2"] = (",transition_depth=2", false),
        ["dts2"] = (",transition_depth=2,shortcut=true", false),
        [$"generic{EagerSuffix}"] = ("", false),
        [$"dts2{EagerSuffix}"] = (",transition_depth=2,shortcut=true", false),
    };

    /// <summary>Variants with this suffix run with per-step weight gradients (<see cref="LoopProducts.EagerWeightGradients"/>).</summary>
    public const string EagerSuffix = "-eager";

    public static readonly IReadOnlyList<string> DefaultVariants = ["builtin", "generic", "dt2", "dts2"];

    public static BenchReport Run(Settings s, TextWriter progress)
    {
        var report = new BenchReport("kernels", ["threads", "cell", "hidden", "layers", "variant", "params", "flops_per_step", "ms_per_batch", "cpu_ms_per_batch",
            "ratio", "ratio_cpu", "ratio_per_flop", "ratio_cpu_per_flop"]);
        report.Notes.Add($"forward+backward of RnnModel, batch {s.Batch}, {s.Steps} steps, {s.Input} inputs → {s.Input} outputs, MSE loss; {s.Warmup} warm-up + {s.Repetitions} timed repetitions, variants interleaved");
        report.Notes.Add("ms = wall-clock median; cpu_ms = median of the process's CPU time (less sensitive to other processes on a shared machine)");
        report.Notes.Add("ratio = median over repetitions of (variant time / built-in time of the same repetition), wall or CPU; *_per_flop divides it by flops(variant)/flops(plain)");
        var shape = TaskShape.Dense(s.Input, s.Input);
        foreach (var threads in s.Threads)
        foreach (var cell in s.Cells)
        foreach (var hidden in s.Hidden)
        foreach (var layers in s.Layers)
        {
            var specs = s.Variants.Where(AllVariants.ContainsKey).ToDictionary(v => v, v => ArchSpecParser.Parse($"{cell}:hidden={hidden},layers={layers}{AllVariants[v].Keys}"));
            if (!specs.ContainsKey("builtin")) throw new ArgumentException("--variants must include builtin (the reference)");
            TorchRuntime.SetThreads(threads);
            var times = specs.Keys.ToDictionary(v => v, _ => new List<double>());
            var cpu = specs.Keys.ToDictionary(v => v, _ => new List<double>());
            var models = new Dictionary<string, RnnModel>();
            try
            {
                manual_seed(1);
                foreach (var (variant, spec) in specs) models[variant] = new RnnModel(spec, shape, AllVariants[variant].Builtin);
                using var x = randn(s.Steps, s.Batch, s.Input);
                using var target = randn(s.Steps, s.Batch, s.Input);
                for (var rep = 0; rep < s.Warmup + s.Repetitions; rep++)
                    foreach (var (variant, model) in models)
                    {
                        using var eager = variant.EndsWith(EagerSuffix, StringComparison.Ordinal) ? LoopProducts.EagerWeightGradients() : null;
                        var (ms, cpuMs) = TimeOnce(model, x, target, s.Batch);
                        if (rep < s.Warmup) continue;
                        times[variant].Add(ms);
                        cpu[variant].Add(cpuMs);
                    }
            }
            finally
            {
                foreach (var model in models.Values) model.Dispose();
            }

            var plainFlops = FlopCounter.PerStep(specs["builtin"], shape);
            foreach (var (variant, spec) in specs)
            {
                var flops = FlopCounter.PerStep(spec, shape);
                var ratio = BenchStatistics.Median(times[variant].Select((t, i) => t / times["builtin"][i]));
                var ratioCpu = BenchStatistics.Median(cpu[variant].Select((t, i) => t / cpu["builtin"][i]));
                var median = BenchStatistics.Median(times[variant]);
                var flopFactor = (double)flops / plainFlops;
                report.Add(("threads", threads), ("cell", cell.ToUpperInvariant()), ("hidden", hidden), ("layers", layers), ("variant", variant), ("params", ModelLayout.Total(spec, shape)),
                    ("flops_per_step", flops), ("ms_per_batch", median), ("cpu_ms_per_batch", BenchStatistics.Median(cpu[variant])), ("ratio", ratio), ("ratio_cpu", ratioCpu),
                    ("ratio_per_flop", ratio / flopFactor), ("ratio_cpu_per_flop", ratioCpu / flopFactor));
                progress.WriteLine($"  {threads} thread(s) {cell} h={hidden} l={layers} {variant}: {median:F1} ms/batch, ×{ratio:F2} of built-in (CPU time ×{ratioCpu:F2})");
            }
        }
        return report;
    }

    /// <summary>One forward+backward pass in milliseconds (gradients cleared before, outside the timing).</summary>
    private static (double Wall, double Cpu) TimeOnce(RnnModel model, Tensor x, Tensor target, int batch)
    {
        model.train();
        model.zero_grad();
        var cpu = CpuClock.ProcessMilliseconds();
        var clock = Stopwatch.StartNew();
        using (var scope = NewDisposeScope())
        {
            var (logits, _) = model.Forward(x, model.InitialState(batch, CPU));
            nn.functional.mse_loss(logits, target).backward();
        }
        return (clock.Elapsed.TotalMilliseconds, CpuClock.ProcessMilliseconds() - cpu);
    }
}
