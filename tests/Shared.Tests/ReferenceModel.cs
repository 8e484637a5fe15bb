using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Shared.Tests;

/// <summary>One layer's state in the reference: h, and c for LSTM.</summary>
public sealed record ReferenceLayerState(double[] H, double[]? C);

/// <summary>One step of the reference: the logits W_y(…) + b_y, the prediction g_y(logits), and every layer's new state.</summary>
public sealed record ReferenceStep(double[] Logits, double[] Prediction, IReadOnlyList<ReferenceLayerState> State);

/// <summary>
/// The equations of docs/architectures.md and docs/architecture-space.md written out literally, for one sequence
/// and one time step, in doubles. It shares nothing with the TorchSharp model but the tensor names of ModelLayout
/// (the parameters are looked up by name), so a test that compares the two checks the model against the equations.
/// Dropout is left out: the comparison runs the model in eval mode. Every operation counts its FLOPs in
/// <see cref="Ops"/>, which gives an independent count for FlopCounter.
/// </summary>
public sealed class ReferenceModel(ArchSpec spec, TaskShape task, IReadOnlyDictionary<string, Matrix> parameters)
{
    private readonly int _d = spec.RequireHidden();
    private readonly HashSet<string> _read = [];

    public ReferenceMath Ops { get; } = new();

    /// <summary>The names of the parameters the equations have used so far.</summary>
    public IReadOnlySet<string> Read => _read;

    public ReferenceStep Step(double[] features, IReadOnlyList<ReferenceLayerState> state) => Run(features, state);

    /// <summary>A token task: x_t is the embedding row of the token.</summary>
    public ReferenceStep Step(int token, IReadOnlyList<ReferenceLayerState> state) => Run(P("embedding.weight").RowBlock(token, 1).Data, state);

    private ReferenceStep Run(double[] x, IReadOnlyList<ReferenceLayerState> state)
    {
        // Deep input: x′_t = MLP_{k_in}(x_t).
        x = Mlp("input_mlp", x, spec.InputDepth);

        // Stack: layer 0 reads x′_t, layer l reads what layer l−1 passes up; skip: also x′_t; residual: h(l) + h(l−1).
        var up = x;
        var outputs = new List<double[]>();
        var next = new List<ReferenceLayerState>();
        for (var l = 0; l < spec.Layers; l++)
        {
            var input = l == 0 ? x : spec.Skip ? ReferenceMath.Cat(up, x) : up;
            var layer = Layer($"layers.{l}", input, state[l]);
            next.Add(layer);
            outputs.Add(layer.H);
            up = spec.Residual && l > 0 ? Ops.Add(layer.H, up) : layer.H;
        }

        // Skip: the output reads the concatenation of all layers' h; deep output: y_t = g_y(W_y MLP_{k_out}(·) + b_y).
        var top = spec.Skip ? ReferenceMath.Cat([.. outputs]) : up;
        top = Mlp("output_mlp", top, spec.OutputDepth);
        var logits = Ops.Affine(P("head.weight"), P("head.bias"), top);
        var prediction = task.Output switch
        {
            OutputKind.Bernoulli => Ops.Sigmoid(logits),
            OutputKind.Categorical => Ops.Softmax(logits),
            _ => logits,
        };
        return new(logits, prediction, next);
    }

    private ReferenceLayerState Layer(string prefix, double[] x, ReferenceLayerState state)
    {
        if (spec.IsHighway) return new(Highway(prefix, x, state.H), null);
        if (spec.HasMicroSteps)
        {
            // Micro-steps: s(0) = state_{t−1}, s(j) = cell_j(s(j−1), x_t only for j = 1), state_t = s(k).
            for (var j = 0; j < spec.TransitionDepth; j++) state = Cell($"{prefix}.cells.{j}", j == 0 ? x : null, state);
            return state;
        }
        return Cell($"{prefix}.cell", x, state);
    }

    /// <summary>RHN: h_j = tanh(W_H x_t·[j=1] + R_Hj s_{j−1} + b_Hj), t_j = σ(same with T), s_j = h_j ⊙ t_j + s_{j−1} ⊙ (1 − t_j).</summary>
    private double[] Highway(string prefix, double[] x, double[] s)
    {
        for (var j = 0; j < spec.TransitionDepth; j++)
        {
            var pre = Ops.Affine(P($"{prefix}.steps.{j}.weight"), P($"{prefix}.steps.{j}.bias"), s);
            if (j == 0) pre = Ops.Add(Ops.Product(P($"{prefix}.input_weight"), x), pre);
            var h = Ops.Tanh(ReferenceMath.Slice(pre, 0, _d));
            var t = Ops.Sigmoid(ReferenceMath.Slice(pre, _d, _d));
            s = Ops.Lerp(s, h, t);
        }
        return s;
    }

    /// <summary>
    /// A cell's pre-activations: for RNN and LSTM all G·d of them; for GRU those of r and z, and the candidate's as
    /// a function of σ(r) (the reset gate enters it).
    /// </summary>
    private sealed record PreActivation(double[] Gates, Func<double[], double[]>? Candidate);

    private ReferenceLayerState Cell(string prefix, double[]? x, ReferenceLayerState state)
    {
        var pre = spec.HasMlpTrunk ? Trunk(prefix, x, state.H)
            : spec.GateDepth > 1 ? GateMlps(prefix, x, state.H)
            : Plain(prefix, x, state.H, extra: null);
        switch (spec.Cell)
        {
            case CellType.Rnn:
                // h_t = tanh(pre).
                return new(Ops.Tanh(pre.Gates), null);
            case CellType.Gru:
            {
                // r, z = σ(·); n = tanh(candidate(r)); h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}.
                var r = Ops.Sigmoid(ReferenceMath.Slice(pre.Gates, 0, _d));
                var z = Ops.Sigmoid(ReferenceMath.Slice(pre.Gates, _d, _d));
                var n = Ops.Tanh(pre.Candidate!(r));
                return new(Ops.Lerp(n, state.H, z), null);
            }
            default:
            {
                // c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g); h_t = σ(o) ⊙ MLP_{k_ro}(tanh(c_t)).
                var gate = (int q) => ReferenceMath.Slice(pre.Gates, q * _d, _d);
                var c = Ops.Add(Ops.Mul(Ops.Sigmoid(gate(1)), state.C!), Ops.Mul(Ops.Sigmoid(gate(0)), Ops.Tanh(gate(2))));
                var exposed = Mlp($"{prefix}.readout", Ops.Tanh(c), spec.ReadoutDepth);
                return new(Ops.Mul(Ops.Sigmoid(gate(3)), exposed), c);
            }
        }
    }

    /// <summary>
    /// The plain cell: W_ih x_t + b_ih + W_hh h_{t−1} + b_hh (PyTorch's two biases; a micro-step after the first has
    /// no W_ih but keeps b_ih); GRU's candidate W_in x_t + b_in + r ⊙ (W_hn h_{t−1} + b_hn). <paramref name="extra"/>
    /// is DT(S)'s W u, added to every pre-activation outside the reset gate.
    /// </summary>
    private PreActivation Plain(string prefix, double[]? x, double[] h, double[]? extra)
    {
        var fromX = x is null ? P($"{prefix}.bias_ih").AsVector() : Ops.Affine(P($"{prefix}.weight_ih"), P($"{prefix}.bias_ih"), x);
        var fromH = Ops.Affine(P($"{prefix}.weight_hh"), P($"{prefix}.bias_hh"), h);
        double[] WithExtra(double[] v, int start) => extra is null ? v : Ops.Add(v, ReferenceMath.Slice(extra, start, v.Length));
        if (spec.Cell != CellType.Gru) return new(WithExtra(Ops.Add(fromX, fromH), 0), null);

        var rz = WithExtra(Ops.Add(ReferenceMath.Slice(fromX, 0, 2 * _d), ReferenceMath.Slice(fromH, 0, 2 * _d)), 0);
        return new(rz, r => Ops.Add(WithExtra(ReferenceMath.Slice(fromX, 2 * _d, _d), 2 * _d), Ops.Mul(r, ReferenceMath.Slice(fromH, 2 * _d, _d))));
    }

    /// <summary>
    /// Deep transition (Pascanu et al.): u = MLP_{k−1}([h_{t−1}, x_t]), first layer trunk_in x_t + trunk_in_bias +
    /// trunk_state h_{t−1}. Without shortcut the pre-activations are head(u) (GRU's candidate head_n(u) + r ⊙ head_hn(u));
    /// with shortcut they are the plain cell's plus W u.
    /// </summary>
    private PreActivation Trunk(string prefix, double[]? x, double[] h)
    {
        var u = FirstLayer($"{prefix}.trunk_in_weight", $"{prefix}.trunk_in_bias", $"{prefix}.trunk_state_weight", $"{prefix}.trunk_norm", x, h, 0, spec.EffectiveWidth);
        u = Mlp($"{prefix}.trunk", u, spec.TransitionDepth - 2);
        if (spec.Shortcut) return Plain(prefix, x, h, extra: Ops.Product(P($"{prefix}.head.weight"), u));

        var pre = Ops.Affine(P($"{prefix}.head.weight"), P($"{prefix}.head.bias"), u);
        if (spec.Cell != CellType.Gru) return new(pre, null);
        return new(ReferenceMath.Slice(pre, 0, 2 * _d),
            r => Ops.Add(ReferenceMath.Slice(pre, 2 * _d, _d), Ops.Mul(r, Ops.Affine(P($"{prefix}.head_hn.weight"), P($"{prefix}.head_hn.bias"), u))));
    }

    /// <summary>
    /// Deep gates: gate q's pre-activation is out_q(MLP_{k−1}([h_{t−1}, x_t])), its first layer rows q·w of
    /// gate_in/gate_state; GRU's candidate reads [r ⊙ h_{t−1}, x_t].
    /// </summary>
    private PreActivation GateMlps(string prefix, double[]? x, double[] h)
    {
        double[] Gate(int q, double[] state)
        {
            var w = spec.EffectiveWidth;
            var a = FirstLayer($"{prefix}.gate_in_weight", $"{prefix}.gate_in_bias", $"{prefix}.gate_state_weight", $"{prefix}.gates.{q}.first_norm", x, state, q * w, w);
            a = Mlp($"{prefix}.gates.{q}.hidden", a, spec.GateDepth - 2);
            return Ops.Affine(P($"{prefix}.gates.{q}.out.weight"), P($"{prefix}.gates.{q}.out.bias"), a);
        }

        if (spec.Cell != CellType.Gru) return new(ReferenceMath.Cat([.. Enumerable.Range(0, 4).Select(q => Gate(q, h))]), null);
        return new(ReferenceMath.Cat(Gate(0, h), Gate(1, h)), r => Gate(2, Ops.Mul(r, h)));
    }

    /// <summary>
    /// An MLP's first layer over [h, x] with the weight split in an x part and an h part (rows [start, start + w) of
    /// each): φ(LN(W_x x + b + W_h h)); without x (a later micro-step) only b + W_h h.
    /// </summary>
    private double[] FirstLayer(string inWeight, string inBias, string stateWeight, string norm, double[]? x, double[] h, int start, int w)
    {
        var bias = P(inBias).RowBlock(start, w);
        var fromX = x is null ? bias.AsVector() : Ops.Affine(P(inWeight).RowBlock(start, w), bias, x);
        var first = Ops.Add(fromX, Ops.Product(P(stateWeight).RowBlock(start, w), h));
        if (spec.LayerNorm) first = Ops.LayerNorm(first, P($"{norm}.weight"), P($"{norm}.bias"));
        return Ops.Act(spec.Act, first);
    }

    /// <summary>MLP_k: k layers of affine → layer norm (with layer_norm) → φ; the widths come from the weights.</summary>
    private double[] Mlp(string prefix, double[] v, int depth)
    {
        for (var i = 0; i < depth; i++)
        {
            var layer = $"{prefix}.layers.{i}";
            v = Ops.Affine(P($"{layer}.linear.weight"), P($"{layer}.linear.bias"), v);
            if (spec.LayerNorm) v = Ops.LayerNorm(v, P($"{layer}.norm.weight"), P($"{layer}.norm.bias"));
            v = Ops.Act(spec.Act, v);
        }
        return v;
    }

    private Matrix P(string name)
    {
        _read.Add(name);
        return parameters.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"the equations need parameter '{name}', which the model does not have");
    }
}
