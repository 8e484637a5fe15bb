using RnnSearch.Shared.Architecture;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>One MLP layer: affine, optional layer norm, φ, optional dropout (docs/reference/architectures.md, MLP_k).</summary>
internal sealed class MlpLayer : nn.Module<Tensor, Tensor>
{
    private readonly Linear linear;
    private readonly LayerNorm? norm;
    private readonly Activation _act;
    private readonly SeededDropout? _dropout;

    public MlpLayer(long input, long output, Activation act, bool layerNorm, SeededDropout? dropout) : base(nameof(MlpLayer))
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
        return _dropout is null ? y : _dropout.Apply(y, training);
    }

    public void Initialise(Initialiser init)
    {
        init.Linear(linear);
        init.LayerNorm(norm);
    }
}

/// <summary>MLP_k: k layers; with k = 0 it is the identity and holds no parameters.</summary>
internal sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<MlpLayer> layers;

    public long OutputSize { get; }

    /// <param name="outputs">width of each layer, in order</param>
    /// <param name="dropout">dropout after every layer (null: none; only input and output MLPs drop)</param>
    /// <param name="dropLast">false when what reads the last layer drops its input itself (the recurrent stack), so
    /// that no connection is dropped twice</param>
    public Mlp(long input, IReadOnlyList<long> outputs, Activation act, bool layerNorm, SeededDropout? dropout = null, bool dropLast = true)
        : base(nameof(Mlp))
    {
        layers = new ModuleList<MlpLayer>();
        var size = input;
        for (var i = 0; i < outputs.Count; i++)
        {
            layers.Add(new MlpLayer(size, outputs[i], act, layerNorm, dropLast || i < outputs.Count - 1 ? dropout : null));
            size = outputs[i];
        }
        OutputSize = size;
        RegisterComponents();
    }

    public static Mlp Uniform(long input, long width, int depth, Activation act, bool layerNorm, SeededDropout? dropout = null, bool dropLast = true) =>
        new(input, Enumerable.Repeat(width, depth).ToList(), act, layerNorm, dropout, dropLast);

    public int Depth => layers.Count;

    public IEnumerable<MlpLayer> Layers => layers;

    /// <summary>This MLP inside a time loop: its affine maps become loop products (see <see cref="LoopMlp"/>).</summary>
    public LoopMlp InLoop(LoopProducts products) => new(this, products);

    public override Tensor forward(Tensor x)
    {
        foreach (var layer in layers) x = layer.forward(x);
        return x;
    }

    public void Initialise(Initialiser init)
    {
        foreach (var layer in layers) layer.Initialise(init);
    }
}
