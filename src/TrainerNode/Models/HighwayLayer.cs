using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>
/// Recurrent Highway Network layer (Zilly et al. 2017; docs/reference/architectures.md §3, "highway"): per time step k
/// highway micro-layers with coupled carry gate, s_j = h_j ⊙ t_j + s_{j−1} ⊙ (1 − t_j); x_t enters the first only.
/// The transform-gate biases start at −2 so that the layer begins close to carrying its state (as Zilly et al.).
/// </summary>
internal sealed class HighwayLayer : SequenceLayer
{
    private readonly Parameter input_weight;
    private readonly ModuleList<Linear> steps;
    private readonly long _hidden;

    public HighwayLayer(long input, long hidden, int depth) : base(nameof(HighwayLayer))
    {
        _hidden = hidden;
        input_weight = nn.Parameter(empty(2 * hidden, input));
        steps = new ModuleList<Linear>();
        for (var j = 0; j < depth; j++) steps.Add(nn.Linear(hidden, 2 * hidden));
        RegisterComponents();
    }

    /// <summary>Weights U(±1/√d); candidate biases 0, transform-gate biases −2.</summary>
    public override void Initialise(Initialiser init)
    {
        init.Uniform(input_weight, _hidden);
        foreach (var linear in steps)
        {
            init.Linear(linear);
            using var transform = linear.bias!.narrow(0, _hidden, _hidden);
            Initialiser.Fill(transform, -2);
        }
    }

    public override bool HasMemory => false;

    protected override Tensor? ProjectInput(Tensor x) => nn.functional.linear(x, input_weight);

    private LoopProduct[]? _loop;

    /// <summary>Micro-step j's product R_j·s + b_j; the first one sits on top of the projected input.</summary>
    protected override void BeginSequence(LoopProducts products, Tensor? projected) =>
        _loop = steps.Select((linear, j) => products.Add(linear.weight!, j == 0 ? projected : null, linear.bias)).ToArray();

    /// <summary>s_j = h_j ⊙ t_j + s_{j−1} ⊙ (1 − t_j) = lerp(s_{j−1}, h_j, t_j).</summary>
    protected override LayerState Step(int t, LayerState state)
    {
        var s = state.H;
        foreach (var product in _loop!)
        {
            var pre = product.At(t, s);
            s = s.lerp(pre.narrow(-1, 0, _hidden).tanh(), pre.narrow(-1, _hidden, _hidden).sigmoid());
        }
        return new(s, null);
    }
}
