using RnnSearch.Shared.Architecture;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>
/// Deep transition, Pascanu et al. 2013 (docs/architectures.md §3, "mlp"): a trunk u = MLP_{k−1}([h_{t-1}, x_t])
/// feeds the cell's pre-activation. Without shortcut the trunk replaces [h_{t-1}, x_t] (DT-RNN); with shortcut the
/// plain affine path is kept and the trunk is added to it (DT(S)-RNN). For GRU without shortcut the reset gate
/// scales a second projection of u (head_hn), as it scales W_hn h in the plain cell. LSTM's c keeps its self-loop.
/// </summary>
internal sealed class TrunkCell : StepCell
{
    private readonly Parameter trunk_in_weight;
    private readonly Parameter trunk_in_bias;
    private readonly Parameter trunk_state_weight;
    private readonly LayerNorm? trunk_norm;
    private readonly Mlp trunk;
    private readonly Linear head;
    private readonly Linear? head_hn;
    private readonly Parameter? weight_ih;
    private readonly Parameter? weight_hh;
    private readonly Parameter? bias_ih;
    private readonly Parameter? bias_hh;
    private readonly Mlp? readout;
    private readonly CellType _cell;
    private readonly long _hidden;
    private readonly long _width;
    private readonly Activation _act;

    public TrunkCell(ArchSpec spec, long input, Mlp? readoutMlp) : base(nameof(TrunkCell))
    {
        _cell = spec.Cell;
        _hidden = spec.RequireHidden();
        _width = spec.EffectiveWidth;
        _act = spec.Act;
        var rows = spec.Cell.GateCount() * _hidden;
        trunk_in_weight = Uniform(input + _hidden, _width, input);
        trunk_in_bias = Uniform(input + _hidden, _width);
        trunk_state_weight = Uniform(input + _hidden, _width, _hidden);
        trunk_norm = spec.LayerNorm ? nn.LayerNorm(_width) : null;
        trunk = Mlp.Uniform(_width, _width, spec.TransitionDepth - 2, spec.Act, spec.LayerNorm, 0);
        if (spec.Shortcut)
        {
            head = nn.Linear(_width, rows, hasBias: false);
            weight_ih = Uniform(_hidden, rows, input);
            weight_hh = Uniform(_hidden, rows, _hidden);
            bias_ih = Uniform(_hidden, rows);
            bias_hh = Uniform(_hidden, rows);
        }
        else
        {
            head = nn.Linear(_width, rows);
            head_hn = spec.Cell == CellType.Gru ? nn.Linear(_width, _hidden) : null;
        }
        readout = readoutMlp;
        RegisterComponents();
    }

    public override Tensor? ProjectInput(Tensor x) => weight_ih is null
        ? nn.functional.linear(x, trunk_in_weight, trunk_in_bias)
        : nn.functional.linear(x, cat([trunk_in_weight, weight_ih], 0), cat([trunk_in_bias, bias_ih!], 0));

    public override LayerState Step(Tensor? projected, LayerState state)
    {
        var trunkInput = projected!.narrow(-1, 0, _width);
        var u = trunkInput.Plus(nn.functional.linear(state.H, trunk_state_weight));
        if (trunk_norm is not null) u = trunk_norm.forward(u);
        u = trunk.forward(Activations.Apply(_act, u));

        if (weight_hh is not null)
        {
            var gi = projected.narrow(-1, _width, projected.shape[^1] - _width).Plus(head.forward(u));
            var gh = nn.functional.linear(state.H, weight_hh, bias_hh!);
            return PlainCell.Finish(_cell, _hidden, gi, gh, state, readout);
        }

        var pre = head.forward(u);
        return _cell switch
        {
            CellType.Rnn => new(CellMath.Rnn(pre), null),
            CellType.Lstm => Lstm(pre, state),
            _ => new(CellMath.Gru(pre.narrow(-1, 0, 2 * _hidden), pre.narrow(-1, 2 * _hidden, _hidden), head_hn!.forward(u), state.H), null),
        };
    }

    private LayerState Lstm(Tensor pre, LayerState state)
    {
        var (h, c) = CellMath.Lstm(pre, state.C!, readout);
        return new(h, c);
    }
}
