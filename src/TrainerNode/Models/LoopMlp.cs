using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>
/// An <see cref="Mlp"/> used inside a time loop (trunk, readout, gate heads): its affine maps are loop products
/// (one transposed weight per sequence, deferred weight gradients); layer norm, φ and dropout as in the MLP.
/// </summary>
internal sealed class LoopMlp
{
    private readonly (LoopProduct Product, MlpLayer Layer)[] _layers;

    public LoopMlp(Mlp mlp, LoopProducts products) =>
        _layers = mlp.Layers.Select(layer => (products.Add(layer.Weight, bias: layer.Bias), layer)).ToArray();

    public Tensor Forward(int t, Tensor x)
    {
        foreach (var (product, layer) in _layers) x = layer.Finish(product.At(t, x));
        return x;
    }
}
