using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>Hidden state of one recurrent layer: h, and c for LSTM.</summary>
internal readonly record struct LayerState(Tensor H, Tensor? C)
{
    public LayerState Detach() => new(H.detach(), C?.detach());

    public LayerState MoveToOuterDisposeScope() => new(H.MoveToOuterDisposeScope(), C?.MoveToOuterDisposeScope());

    public static LayerState Zeros(bool withMemory, long batch, long hidden, Device device) =>
        new(zeros(batch, hidden, device: device), withMemory ? zeros(batch, hidden, device: device) : null);
}

/// <summary>The state of the whole stack, one entry per layer, carried across truncated-BPTT windows.</summary>
internal sealed class RecurrentState(IReadOnlyList<LayerState> layers)
{
    public IReadOnlyList<LayerState> Layers { get; } = layers;

    public RecurrentState Detach() => new(Layers.Select(l => l.Detach()).ToList());

    public RecurrentState MoveToOuterDisposeScope() => new(Layers.Select(l => l.MoveToOuterDisposeScope()).ToList());
}
