using RnnSearch.Shared.Common;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>
/// A trial's source of dropout masks: mask k of epoch e is drawn from a seed that (trial seed, e, k) alone fix, so
/// neither the other trials of the process nor a resume from a checkpoint (which starts an epoch afresh) changes it.
/// On the CPU the draw uses the trial's own generator. TorchSharp 0.107 cannot make a generator on a CUDA device (its
/// THSGenerator_new always makes a CPU one), so there the device's default generator is seeded for the one draw,
/// under a lock that every trial's CUDA mask takes; nothing else in a trainer draws on CUDA (weights are drawn on the
/// CPU), and a CUDA draw takes its seed when it is queued, so the lock covers only the launch.
/// </summary>
internal sealed class DropoutMasks(long seed) : IDisposable
{
    private static readonly Lock CudaDraw = new();
    private readonly Generator _cpu = new((ulong)seed);
    private long _epochSeed = Mix(seed, 0);
    private long _draws;

    public void BeginEpoch(int epoch)
    {
        _epochSeed = Mix(seed, epoch);
        _draws = 0;
    }

    /// <summary>A tensor of 1 (probability <paramref name="keep"/>) and 0.</summary>
    public Tensor Keep(long[] shape, double keep, ScalarType dtype, Device device)
    {
        var drawSeed = Mix(_epochSeed, ++_draws);
        var mask = empty(shape, dtype, device);
        if (device.type == DeviceType.CPU)
        {
            _cpu.manual_seed(drawSeed);
            return mask.bernoulli_(keep, _cpu);
        }
        lock (CudaDraw)
        {
            cuda.manual_seed_all(drawSeed);
            return mask.bernoulli_(keep);
        }
    }

    /// <summary>A seed for stream <paramref name="index"/> of <paramref name="parent"/>, well apart from its neighbours.</summary>
    public static long Mix(long parent, long index) =>
        (long)new SeededRandom(unchecked(parent * (long)0x9E3779B97F4A7C15UL + index)).NextUInt64();

    public void Dispose() => _cpu.Dispose();
}
