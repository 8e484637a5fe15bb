using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Training;

/// <summary>Gradient clipping by global norm, with an explicit Scalar (see <see cref="AdamW"/> for why).</summary>
internal static class GradientClipping
{
    /// <summary>Scales all gradients so that their joint L2 norm is at most <paramref name="maxNorm"/>; returns the norm before clipping.</summary>
    public static double ClipByGlobalNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        var grads = parameters.Select(p => p.grad).Where(g => g is not null).Cast<Tensor>().ToList();
        if (grads.Count == 0) return 0;
        double total;
        using (no_grad())
        using (var scope = NewDisposeScope())
            total = Math.Sqrt(stack(grads.Select(g => (g * g).sum()).ToArray()).sum().item<float>());
        if (total > maxNorm && double.IsFinite(total))
        {
            using var _ = no_grad();
            using var coefficient = (maxNorm / (total + 1e-6)).ToScalar();
            foreach (var g in grads) g.mul_(coefficient);
        }
        return total;
    }
}
