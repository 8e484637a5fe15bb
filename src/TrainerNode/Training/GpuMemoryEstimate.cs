using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.TrainerNode.Training;

/// <summary>
/// The memory rule for trainer nodes that share a GPU (docs/gpu.md): a trainer process costs a fixed CUDA context
/// (<see cref="ProcessOverheadBytes"/>), and each running trial about <see cref="PerTrialBytes"/>; run at most
/// (GPU memory × 0.9 − overhead) / per-trial slots on one GPU. The per-trial figure is a deliberately generous
/// estimate: 16 bytes per parameter (weights, gradients, two AdamW moments) plus the activations kept for backward,
/// 4 bytes × batch × bptt × (floats per hidden unit of the cell × layers × hidden × depth factor + 3 × outputs + inputs),
/// plus 64 MiB of allocator slack.
/// </summary>
public static class GpuMemoryEstimate
{
    /// <summary>CUDA context, cuBLAS/cuDNN handles and workspaces of one trainer process (not per slot).</summary>
    public const long ProcessOverheadBytes = 1L << 30;
    private const long SlackBytes = 64L << 20;

    /// <summary>Floats kept per hidden unit and time step by one layer of the generic cell (gates, activations, products).</summary>
    public static int FloatsPerHiddenUnit(CellType cell) => cell switch { CellType.Lstm => 24, CellType.Gru => 18, _ => 6 };

    /// <summary>1 plus half a layer's worth for every extra non-linear layer (input, transition, gates, readout, output MLPs).</summary>
    public static double DepthFactor(ArchSpec spec) =>
        1 + 0.5 * (spec.InputDepth + (spec.TransitionDepth - 1) + (spec.GateDepth - 1) + spec.ReadoutDepth + spec.OutputDepth);

    public static long PerTrialBytes(ArchSpec spec, TaskShape task, long parameters, int batch, int bptt)
    {
        var hidden = spec.RequireHidden();
        var perStep = FloatsPerHiddenUnit(spec.Cell) * (double)spec.Layers * hidden * DepthFactor(spec) + 3.0 * task.OutputSize + task.InputSize;
        return 16 * parameters + (long)Math.Ceiling(4.0 * batch * bptt * perStep) + SlackBytes;
    }

    /// <summary>How many trials of this size fit on a GPU with <paramref name="gpuBytes"/> of memory, one trainer process.</summary>
    public static int SlotsThatFit(long gpuBytes, long perTrialBytes) =>
        (int)Math.Max(0, Math.Floor((gpuBytes * 0.9 - ProcessOverheadBytes) / perTrialBytes));
}
