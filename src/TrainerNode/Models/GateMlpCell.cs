using RnnSearch.Shared.Architecture;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>The MLP behind one gate: φ(norm(first layer)) → further layers → affine to the hidden size.</summary>
internal sealed class GateHead : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm? first_norm;
    private readonly Mlp hidden;
    private readonly Linear @out;
    private readonly Activation _act;

    public GateHead(ArchSpec spec, long width, long hiddenSize) : base(nameof(GateHead))
    {
        _act = spec.Act;
        first_norm = spec.LayerNorm ? nn.LayerNorm(width) : null;
        hidden = Mlp.Uniform(width, width, spec.GateDepth - 2, spec.Act, spec.LayerNorm, 0);
        @out = nn.Linear(width, hiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor first)
    {
        if (first_norm is not null) first = first_norm.forward(first);
        return @out.forward(hidden.forward(Activations.Apply(_act, first)));
    }
}

/// <summary>
/// Depth inside the gates (docs/architectures.md §4, gate_depth): each gate's pre-activation is its own MLP of
/// [h_{t-1}, x_t]. The first layers of all gates share one input-side matrix product outside the time loop.
/// GRU's candidate reads [r ⊙ h_{t-1}, x_t] (the reset gate applied before the MLP, as in Cho et al.'s GRU).
/// </summary>
internal sealed class GateMlpCell : StepCell
{
    private readonly Parameter? gate_in_weight;
    private readonly Parameter gate_in_bias;
    private readonly Parameter gate_state_weight;
    private readonly ModuleList<GateHead> gates;
    private readonly Mlp? readout;
    private readonly CellType _cell;
    private readonly long _width;

    public GateMlpCell(ArchSpec spec, long input, Mlp? readoutMlp) : base(nameof(GateMlpCell))
    {
        _cell = spec.Cell;
        _width = spec.EffectiveWidth;
        var hidden = spec.RequireHidden();
        var count = spec.Cell.GateCount();
        gate_in_weight = input > 0 ? Uniform(input + hidden, count * _width, input) : null;
        gate_in_bias = Uniform(input + hidden, count * _width);
        gate_state_weight = Uniform(input + hidden, count * _width, hidden);
        gates = new ModuleList<GateHead>();
        for (var g = 0; g < count; g++) gates.Add(new GateHead(spec, _width, hidden));
        readout = readoutMlp;
        RegisterComponents();
    }

    public override Tensor? ProjectInput(Tensor x) => gate_in_weight is null ? null : nn.functional.linear(x, gate_in_weight, gate_in_bias);

    public override LayerState Step(Tensor? projected, LayerState state)
    {
        var xg = projected ?? gate_in_bias;
        if (_cell == CellType.Lstm)
        {
            var first = xg.Plus(nn.functional.linear(state.H, gate_state_weight)).chunk(4, -1);
            var pre = cat([gates[0].forward(first[0]), gates[1].forward(first[1]), gates[2].forward(first[2]), gates[3].forward(first[3])], -1);
            var (h, c) = CellMath.Lstm(pre, state.C!, readout);
            return new(h, c);
        }

        var rzFirst = xg.narrow(-1, 0, 2 * _width).Plus(nn.functional.linear(state.H, gate_state_weight.narrow(0, 0, 2 * _width)));
        var rzParts = rzFirst.chunk(2, -1);
        var preR = gates[0].forward(rzParts[0]);
        var rz = cat([preR, gates[1].forward(rzParts[1])], -1);
        var nFirst = xg.narrow(-1, 2 * _width, _width).Plus(nn.functional.linear(preR.sigmoid() * state.H, gate_state_weight.narrow(0, 2 * _width, _width)));
        return new(CellMath.Gru(rz, gates[2].forward(nFirst), null, state.H), null);
    }
}
