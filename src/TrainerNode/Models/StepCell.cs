using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>
/// One cell update h_{t-1} → h_t. Everything that depends on x_t alone is computed for all steps at once by
/// <see cref="ProjectInput"/> (one matrix product outside the time loop); <see cref="BeginSequence"/> registers the
/// products inside the loop once per sequence; <see cref="Step"/> does the rest for step t.
/// </summary>
internal abstract class StepCell(string name) : nn.Module(name)
{
    /// <summary>x-dependent pre-activations for the whole sequence [T, B, K], or null for a cell that does not read x_t.</summary>
    public abstract Tensor? ProjectInput(Tensor x);

    /// <summary>Called once per sequence before the loop with the output of <see cref="ProjectInput"/> (null for a cell without input).</summary>
    public abstract void BeginSequence(LoopProducts products, Tensor? projected);

    public abstract LayerState Step(int t, LayerState state);

    /// <summary>PyTorch's RNN initialisation: U(−1/√fanIn, 1/√fanIn).</summary>
    protected static TorchSharp.Modules.Parameter Uniform(long fanIn, params long[] shape)
    {
        var bound = 1.0 / Math.Sqrt(Math.Max(1, fanIn));
        using var _ = no_grad();
        return nn.Parameter(empty(shape).uniform_(-bound, bound));
    }
}
