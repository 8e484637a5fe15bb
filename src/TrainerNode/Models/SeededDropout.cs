using TorchSharp;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>
/// The model's dropout: inverted dropout (keep with probability 1 − p, scale by 1/(1 − p), identity outside training)
/// with its masks from <see cref="Masks"/>, the trial's own. torch's functional dropout, and the built-in modules'
/// inter-layer dropout, draw from the process-wide generator that every slot of a trainer node shares, so there a
/// seed would not fix the masks. One instance per model serves every place that drops.
/// </summary>
internal sealed class SeededDropout(double rate)
{
    public double Rate { get; } = rate;

    /// <summary>The trial's masks; null: torch's global generator (tests and benchmarks outside a trial).</summary>
    public DropoutMasks? Masks { get; set; }

    public Tensor Apply(Tensor x, bool training)
    {
        if (!training || Rate <= 0) return x;
        using var keep = Masks?.Keep(x.shape, 1 - Rate, x.dtype, x.device) ?? empty(x.shape, x.dtype, x.device).bernoulli_(1 - Rate);
        using var scale = (1 / (1 - Rate)).ToScalar();
        return x.mul(keep.mul_(scale));
    }
}
