using RnnSearch.Shared.Architecture;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>One MLP layer: affine, optional layer norm, φ, optional dropout (docs/architectures.md, MLP_k).</summary>
internal sealed class MlpLayer : nn.Module<Tensor, Tensor>
{
    private readonly Linear linear;
    private readonly LayerNorm? norm;
    private readonly Activation _act;
    private readonly double _dropout;

    public MlpLayer(long input, long output, Activation act, bool layerNorm, double dropout) : base(nameof(MlpLayer))
    {
        linear = nn.Linear(input, output);
        norm = layerNorm ? nn.LayerNorm(output) : null;
        _act = act;
        _dropout = dropout;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Finish(linear.forward(x));

    public Tensor Weight => linear.weight!;
    public Tensor? Bias => linear.bias;

    /// <summary>Everything after the affine map: layer norm, φ, dropout.</summary>
    public Tensor Finish(Tensor y)
    {
        if (norm is not null) y = norm.forward(y);
        y = Activations.Apply(_act, y);
        return _dropout > 0 ? nn.functional.dropout(y, _dropout, training) : y;
    }
}

/// <summary>MLP_k: k layers; with k = 0 it is the identity and holds no parameters.</summary>
internal sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<MlpLayer> layers;

    public long OutputSize { get; }

    /// <param name="outputs">width of each layer, in order</param>
    public Mlp(long input, IReadOnlyList<long> outputs, Activation act, bool layerNorm, double dropout) : base(nameof(Mlp))
    {
        layers = new ModuleList<MlpLayer>();
        var size = input;
        foreach (var output in outputs)
        {
            layers.Add(new MlpLayer(size, output, act, layerNorm, dropout));
            size = output;
        }
        OutputSize = size;
        RegisterComponents();
    }

    public static Mlp Uniform(long input, long width, int depth, Activation act, bool layerNorm, double dropout) =>
        new(input, Enumerable.Repeat(width, depth).ToList(), act, layerNorm, dropout);

    public int Depth => layers.Count;

    public IEnumerable<MlpLayer> Layers => layers;

    /// <summary>This MLP inside a time loop: its affine maps become loop products (see <see cref="LoopMlp"/>).</summary>
    public LoopMlp InLoop(LoopProducts products) => new(this, products);

    public override Tensor forward(Tensor x)
    {
        foreach (var layer in layers) x = layer.forward(x);
        return x;
    }
}
