using System.Diagnostics;
using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Tasks;
using RnnSearch.TrainerNode.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Training;

/// <summary>One timed configuration of <c>gpu-check</c>.</summary>
public sealed record KernelTimingRow(int Hidden, string Spec, string Path, long Params, double MsPerStep, double RatioToBuiltin, long EstimatedTrialBytes);

/// <summary>
/// Times one training step (forward, backward, clipping, AdamW) of a model on synthetic music-like data — random
/// inputs, random 0/1 targets, binary cross-entropy — exactly as a trial steps, the device waited for at the end of
/// every step (the loss is read, as training reads it). Used to compare the generic layers with TorchSharp's built-in
/// module (cuDNN on a GPU).
/// </summary>
public static class KernelTiming
{
    public sealed record Setup(Device Device, int Batch, int Steps, int Inputs, int Warmup, int Timed);

    /// <summary>Milliseconds per step and the parameter count; <paramref name="builtin"/> needs a plain spec.</summary>
    public static (double MsPerStep, long Params) Measure(ArchSpec spec, bool builtin, Setup setup)
    {
        if (builtin && !spec.IsPlainRecurrence) throw new ArgumentException($"{spec}: only plain specs run on the built-in module");
        manual_seed(1);
        var shape = TaskShape.Dense(setup.Inputs, setup.Inputs);
        using var model = new RnnModel(spec, shape, preferBuiltin: builtin);
        model.to(setup.Device);
        model.train();
        using var optimizer = new AdamW(model.parameters(), 1e-3);
        var parameters = model.parameters().Sum(p => p.numel());
        using var input = rand(new long[] { setup.Steps, setup.Batch, setup.Inputs }, device: setup.Device);
        using var noise = rand(new long[] { setup.Steps, setup.Batch, setup.Inputs }, device: setup.Device);
        using var target = noise.round();

        for (var i = 0; i < setup.Warmup; i++) Step();
        Synchronize(setup.Device);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < setup.Timed; i++) Step();
        Synchronize(setup.Device);
        return (clock.Elapsed.TotalMilliseconds / setup.Timed, parameters);

        void Step()
        {
            using var scope = NewDisposeScope();
            var (logits, _) = model.Forward(input, model.InitialState(setup.Batch, setup.Device));
            var loss = nn.functional.binary_cross_entropy_with_logits(logits, target);
            optimizer.ZeroGrad();
            loss.backward();
            GradientClipping.ClipByGlobalNorm(model.parameters(), 1.0);
            optimizer.Step();
            if (!float.IsFinite(loss.item<float>())) throw new InvalidOperationException($"{spec}: loss is not finite");
        }
    }

    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }

    /// <summary>
    /// The ratio table: for each hidden size, the built-in LSTM (reference), the same LSTM on the generic layers, and
    /// each deep spec on the generic layers (specs are given without hidden; it is set per row).
    /// </summary>
    public static IReadOnlyList<KernelTimingRow> Table(IReadOnlyList<int> hiddens, IReadOnlyList<string> deepSpecs, Setup setup, Action<KernelTimingRow>? onRow = null)
    {
        var rows = new List<KernelTimingRow>();
        foreach (var hidden in hiddens)
        {
            var plain = ArchSpecParser.Parse("LSTM") with { Hidden = hidden };
            var configurations = new List<(ArchSpec Spec, bool Builtin, string Path)> { (plain, true, "built-in"), (plain, false, "generic") };
            configurations.AddRange(deepSpecs.Select(text => (ArchSpecParser.Parse(text) with { Hidden = hidden }, false, "generic")));
            double? reference = null;
            foreach (var (spec, builtin, path) in configurations)
            {
                spec.Validate();
                var (ms, parameters) = Measure(spec, builtin, setup);
                reference ??= ms;
                var estimate = GpuMemoryEstimate.PerTrialBytes(spec, TaskShape.Dense(setup.Inputs, setup.Inputs), parameters, setup.Batch, setup.Steps);
                var row = new KernelTimingRow(hidden, spec.ToString(), path, parameters, Math.Round(ms, 3), Math.Round(ms / reference.Value, 2), estimate);
                rows.Add(row);
                onRow?.Invoke(row);
            }
        }
        return rows;
    }
}
