using RnnSearch.Shared.Architecture;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>
/// Deep transition, Pascanu et al. 2013 (docs/reference/architectures.md §3, "mlp"): a trunk u = MLP_{k−1}([h_{t-1}, x_t])
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
        trunk_in_weight = Unset(_width, input);
        trunk_in_bias = Unset(_width);
        trunk_state_weight = Unset(_width, _hidden);
        trunk_norm = spec.LayerNorm ? nn.LayerNorm(_width) : null;
        trunk = Mlp.Uniform(_width, _width, spec.TransitionDepth - 2, spec.Act, spec.LayerNorm);
        if (spec.Shortcut)
        {
            head = nn.Linear(_width, rows, hasBias: false);
            weight_ih = Unset(rows, input);
            weight_hh = Unset(rows, _hidden);
            bias_ih = Unset(rows);
            bias_hh = Unset(rows);
        }
        else
        {
            head = nn.Linear(_width, rows);
            head_hn = spec.Cell == CellType.Gru ? nn.Linear(_width, _hidden) : null;
        }
        readout = readoutMlp;
        RegisterComponents();
    }

    /// <summary>
    /// The trunk's first layer reads [h, x]: U(±1/√(in + d)); the plain path as <see cref="PlainCell"/>; zero biases.
    /// An LSTM's forget gate starts at 1 on the path that carries its bias (b_ih with shortcut, the head without).
    /// </summary>
    public override void Initialise(Initialiser init)
    {
        var fan = trunk_in_weight.shape[1] + _hidden;
        init.Uniform(trunk_in_weight, fan);
        init.Zero(trunk_in_bias);
        init.Uniform(trunk_state_weight, fan);
        init.LayerNorm(trunk_norm);
        trunk.Initialise(init);
        init.Linear(head);
        if (head_hn is not null) init.Linear(head_hn);
        if (weight_hh is not null)
        {
            init.Uniform(weight_ih!, _hidden);
            init.Uniform(weight_hh, _hidden);
            init.Zero(bias_ih);
            init.Zero(bias_hh);
        }
        if (_cell == CellType.Lstm) Initialiser.ForgetRows(bias_ih ?? head.bias!, _hidden);
        readout?.Initialise(init);
    }

    /// <summary>
    /// x-side of the trunk's first layer (and, with shortcut, of the plain path, whose RNN/LSTM biases b_ih + b_hh
    /// fold in here) for all steps.
    /// </summary>
    public override Tensor? ProjectInput(Tensor x) => weight_ih is null
        ? nn.functional.linear(x, trunk_in_weight, trunk_in_bias)
        : nn.functional.linear(x, cat([trunk_in_weight, weight_ih], 0), cat([trunk_in_bias, _cell == CellType.Gru ? bias_ih! : bias_ih!.Plus(bias_hh!)], 0));

    /// <summary>What one sequence's loop uses (kept out of tensor-typed fields, which TorchSharp treats as module state).</summary>
    private sealed record Loop(LoopProduct State, LoopMlp Trunk, LoopProduct Head, LoopProduct? HeadHn, Tensor[]? GateInputN, LoopMlp? Readout);

    private Loop? _loop;

    /// <summary>
    /// The products of one step: h feeds the trunk's first layer and, with shortcut, the plain path — one product
    /// with the stacked weights [trunk_state_weight; weight_hh]; the trunk's MLP layers; the head (and GRU's head_hn).
    /// </summary>
    public override void BeginSequence(LoopProducts products, Tensor? projected)
    {
        var trunkLoop = trunk.InLoop(products);
        var readoutLoop = readout?.InLoop(products);
        if (weight_hh is null)
        {
            _loop = new(products.Add(trunk_state_weight, projected), trunkLoop, products.Add(head.weight!, bias: head.bias),
                head_hn is null ? null : products.Add(head_hn.weight!, bias: head_hn.bias), null, readoutLoop);
            return;
        }
        var stateWeight = cat([trunk_state_weight, weight_hh], 0);
        if (_cell != CellType.Gru)
        {
            _loop = new(products.Add(stateWeight, projected), trunkLoop, products.Add(head.weight!), null, null, readoutLoop);
            return;
        }
        // GRU: [trunk | x-side r, z + b_ih + b_hh (r, z) | b_hn] + h·[trunk_state; W_hh]ᵀ; the x-side of n stays apart.
        var rzHidden = bias_hh!.narrow(0, 0, 2 * _hidden);
        var nHidden = bias_hh.narrow(0, 2 * _hidden, _hidden).expand(products.Steps, products.Batch, _hidden);
        var stateBase = cat([projected!.narrow(-1, 0, _width + 2 * _hidden).Plus(cat([zeros(_width, device: rzHidden.device), rzHidden], 0)), nHidden], -1);
        _loop = new(products.Add(stateWeight, stateBase), trunkLoop, products.Add(head.weight!), null,
            LoopProducts.PerStep(projected.narrow(-1, _width + 2 * _hidden, _hidden)), readoutLoop);
    }

    public override LayerState Step(int t, LayerState state)
    {
        var loop = _loop!;
        var z = loop.State.At(t, state.H);
        var u = weight_hh is null ? z : z.narrow(-1, 0, _width);
        if (trunk_norm is not null) u = trunk_norm.forward(u);
        u = loop.Trunk.Forward(t, Activations.Apply(_act, u));

        if (weight_hh is not null)
        {
            var hu = loop.Head.At(t, u);
            if (_cell != CellType.Gru)
            {
                var gates = z.narrow(-1, _width, hu.shape[^1]).Plus(hu);
                return _cell == CellType.Rnn ? new(CellMath.Rnn(gates), null) : Lstm(t, gates, state);
            }
            var rz = z.narrow(-1, _width, 2 * _hidden).Plus(hu.narrow(-1, 0, 2 * _hidden));
            var nInput = loop.GateInputN![t].Plus(hu.narrow(-1, 2 * _hidden, _hidden));
            return new(CellMath.Gru(rz, nInput, z.narrow(-1, _width + 2 * _hidden, _hidden), state.H), null);
        }

        var pre = loop.Head.At(t, u);
        return _cell switch
        {
            CellType.Rnn => new(CellMath.Rnn(pre), null),
            CellType.Lstm => Lstm(t, pre, state),
            _ => new(CellMath.Gru(pre.narrow(-1, 0, 2 * _hidden), pre.narrow(-1, 2 * _hidden, _hidden), loop.HeadHn!.At(t, u), state.H), null),
        };
    }

    private LayerState Lstm(int t, Tensor pre, LayerState state)
    {
        var readout = _loop!.Readout;
        var (h, c) = CellMath.Lstm(pre, state.C!, readout is null ? null : x => readout.Forward(t, x));
        return new(h, c);
    }
}
