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
        hidden = Mlp.Uniform(width, width, spec.GateDepth - 2, spec.Act, spec.LayerNorm);
        @out = nn.Linear(width, hiddenSize);
        RegisterComponents();
    }

    /// <summary>The gate's last affine map, whose bias is the gate's bias.</summary>
    public Tensor OutputBias => @out.bias!;

    public void Initialise(Initialiser init)
    {
        init.LayerNorm(first_norm);
        hidden.Initialise(init);
        init.Linear(@out);
    }

    public override Tensor forward(Tensor first)
    {
        if (first_norm is not null) first = first_norm.forward(first);
        return @out.forward(hidden.forward(Activations.Apply(_act, first)));
    }

    /// <summary>This head inside a time loop: its hidden layers and output map are loop products.</summary>
    public Func<int, Tensor, Tensor> InLoop(LoopProducts products)
    {
        var hiddenLoop = hidden.InLoop(products);
        var outLoop = products.Add(@out.weight!, bias: @out.bias);
        return (t, first) =>
        {
            if (first_norm is not null) first = first_norm.forward(first);
            return outLoop.At(t, hiddenLoop.Forward(t, Activations.Apply(_act, first)));
        };
    }
}

/// <summary>
/// Depth inside the gates (docs/reference/architectures.md §4, gate_depth): each gate's pre-activation is its own MLP of
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
        gate_in_weight = input > 0 ? Unset(count * _width, input) : null;
        gate_in_bias = Unset(count * _width);
        gate_state_weight = Unset(count * _width, hidden);
        gates = new ModuleList<GateHead>();
        for (var g = 0; g < count; g++) gates.Add(new GateHead(spec, _width, hidden));
        readout = readoutMlp;
        RegisterComponents();
    }

    /// <summary>First layers U(±1/√(in + d)); zero biases; an LSTM's forget gate starts at 1 in its head's last layer.</summary>
    public override void Initialise(Initialiser init)
    {
        var hidden = gate_state_weight.shape[1];
        var fan = (gate_in_weight?.shape[1] ?? 0) + hidden;
        if (gate_in_weight is not null) init.Uniform(gate_in_weight, fan);
        init.Zero(gate_in_bias);
        init.Uniform(gate_state_weight, fan);
        foreach (var gate in gates) gate.Initialise(init);
        if (_cell == CellType.Lstm) Initialiser.ForgetGate(gates[1].OutputBias); // heads in gate order i, f, g, o
        readout?.Initialise(init);
    }

    public override Tensor? ProjectInput(Tensor x) => gate_in_weight is null ? null : nn.functional.linear(x, gate_in_weight, gate_in_bias);

    /// <summary>What one sequence's loop uses (kept out of tensor-typed fields, which TorchSharp treats as module state).</summary>
    private sealed record Loop(LoopProduct First, LoopProduct? FirstN, Func<int, Tensor, Tensor>[] Heads, LoopMlp? Readout);

    private Loop? _loop;

    /// <summary>
    /// The first layers of all gates are one product of h on top of the x-side (GRU: r and z only; the candidate's
    /// first layer reads r ⊙ h, a second product); then each gate's head.
    /// </summary>
    public override void BeginSequence(LoopProducts products, Tensor? projected)
    {
        var heads = gates.Select(g => g.InLoop(products)).ToArray();
        var readoutLoop = readout?.InLoop(products);
        if (_cell == CellType.Lstm)
        {
            _loop = new(products.Add(gate_state_weight, projected, projected is null ? gate_in_bias : null), null, heads, readoutLoop);
            return;
        }
        var rz = products.Add(gate_state_weight.narrow(0, 0, 2 * _width), projected?.narrow(-1, 0, 2 * _width), projected is null ? gate_in_bias.narrow(0, 0, 2 * _width) : null);
        var n = products.Add(gate_state_weight.narrow(0, 2 * _width, _width), projected?.narrow(-1, 2 * _width, _width), projected is null ? gate_in_bias.narrow(0, 2 * _width, _width) : null);
        _loop = new(rz, n, heads, readoutLoop);
    }

    public override LayerState Step(int t, LayerState state)
    {
        var loop = _loop!;
        if (_cell == CellType.Lstm)
        {
            var first = loop.First.At(t, state.H).chunk(4, -1);
            var pre = cat([loop.Heads[0](t, first[0]), loop.Heads[1](t, first[1]), loop.Heads[2](t, first[2]), loop.Heads[3](t, first[3])], -1);
            var (h, c) = CellMath.Lstm(pre, state.C!, loop.Readout is null ? null : x => loop.Readout.Forward(t, x));
            return new(h, c);
        }

        var rzParts = loop.First.At(t, state.H).chunk(2, -1);
        var preR = loop.Heads[0](t, rzParts[0]);
        var rz = cat([preR, loop.Heads[1](t, rzParts[1])], -1);
        var nFirst = loop.FirstN!.At(t, preR.sigmoid() * state.H);
        return new(CellMath.Gru(rz, loop.Heads[2](t, nFirst), null, state.H), null);
    }
}
