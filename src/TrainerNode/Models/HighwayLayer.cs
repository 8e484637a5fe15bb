using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>
/// Recurrent Highway Network layer (Zilly et al. 2017; docs/architectures.md §3, "highway"): per time step k
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
        var bound = 1.0 / Math.Sqrt(hidden);
        using (no_grad())
            input_weight = nn.Parameter(empty(2 * hidden, input).uniform_(-bound, bound));
        steps = new ModuleList<Linear>();
        for (var j = 0; j < depth; j++)
        {
            var linear = nn.Linear(hidden, 2 * hidden);
            using (no_grad())
            {
                linear.weight!.uniform_(-bound, bound);
                linear.bias!.uniform_(-bound, bound);
                using var carryBias = (-2.0).ToScalar();
                linear.bias!.narrow(0, hidden, hidden).fill_(carryBias);
            }
            steps.Add(linear);
        }
        RegisterComponents();
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
