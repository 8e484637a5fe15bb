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

    /// <summary>Draws this cell's tensors (<see cref="Initialiser"/>; it runs under no_grad).</summary>
    public abstract void Initialise(Initialiser init);

    /// <summary>A parameter whose values <see cref="Initialise"/> draws.</summary>
    protected static TorchSharp.Modules.Parameter Unset(params long[] shape) => nn.Parameter(empty(shape));
}
