using System.Globalization;
using System.Text;

namespace RnnSearch.Shared.Architecture;

/// <summary>
/// One point of the architecture space (docs/reference/architectures.md): a cell, how many layers are stacked,
/// and where MLP depth goes (input, transition, readout, gates, output). Immutable; <see cref="ToString"/>
/// gives the canonical spec string and <see cref="ArchSpecParser.Parse"/> reads it back to an equal value.
/// </summary>
public sealed record ArchSpec
{
    public const int MaxDepth = 16;
    public const int MaxLayers = 64;
    public const int MaxSize = 1_000_000;

    public CellType Cell { get; init; } = CellType.Lstm;
    /// <summary>Hidden size d of every recurrent layer; null until solved from a parameter budget.</summary>
    public int? Hidden { get; init; }
    public int Layers { get; init; } = 1;
    public bool Residual { get; init; }
    public bool Skip { get; init; }
    public int InputDepth { get; init; }
    public int TransitionDepth { get; init; } = 1;
    public TransitionKind Transition { get; init; } = TransitionKind.Mlp;
    public bool Shortcut { get; init; }
    public int ReadoutDepth { get; init; }
    public int GateDepth { get; init; } = 1;
    public int OutputDepth { get; init; }
    /// <summary>MLP width w; null means tied to <see cref="Hidden"/>.</summary>
    public int? Width { get; init; }
    public Activation Act { get; init; } = Activation.Tanh;
    public bool LayerNorm { get; init; }
    public double Dropout { get; init; }

    public static ArchSpec Parse(string text) => ArchSpecParser.Parse(text);

    /// <summary>The hidden size, or a clear error when it still has to be solved from a budget.</summary>
    public int RequireHidden() => Hidden ?? throw new SpecException(
        $"spec '{this}' has no hidden size: give hidden=N or a parameter budget to solve it");

    /// <summary>MLP width: the given width, else the hidden size.</summary>
    public int EffectiveWidth => Width ?? RequireHidden();

    public bool HasMlpTrunk => Transition == TransitionKind.Mlp && TransitionDepth > 1;
    public bool HasMicroSteps => Transition == TransitionKind.Micro && TransitionDepth > 1;
    public bool IsHighway => Transition == TransitionKind.Highway;

    /// <summary>True when some part of the model is an MLP (so width, act and layer_norm mean something).</summary>
    public bool HasAnyMlp => InputDepth > 0 || OutputDepth > 0 || HasMlpTrunk || ReadoutDepth > 0 || GateDepth > 1;

    /// <summary>A plain stack of plain cells: TorchSharp's built-in nn.RNN/GRU/LSTM computes exactly this recurrence.</summary>
    public bool IsPlainRecurrence => !Residual && !Skip && TransitionDepth == 1 && !IsHighway && ReadoutDepth == 0 && GateDepth == 1;

    public PlacementFamily Family
    {
        get
        {
            var axes = new List<PlacementFamily>();
            if (Layers > 1) axes.Add(PlacementFamily.Stack);
            if (InputDepth > 0) axes.Add(PlacementFamily.DeepInput);
            if (IsHighway) axes.Add(PlacementFamily.Highway);
            else if (HasMicroSteps) axes.Add(PlacementFamily.MicroSteps);
            else if (HasMlpTrunk) axes.Add(Shortcut ? PlacementFamily.DeepTransitionShortcut : PlacementFamily.DeepTransition);
            if (ReadoutDepth > 0) axes.Add(PlacementFamily.DeepReadout);
            if (GateDepth > 1) axes.Add(PlacementFamily.DeepGates);
            if (OutputDepth > 0) axes.Add(PlacementFamily.DeepOutput);
            return axes.Count switch { 0 => PlacementFamily.Baseline, 1 => axes[0], _ => PlacementFamily.Combined };
        }
    }

    /// <summary>Throws <see cref="SpecException"/> naming the offending key when the combination cannot be built.</summary>
    public ArchSpec Validate()
    {
        if (Hidden is { } h) RequireRange("hidden", h, 1, MaxSize);
        RequireRange("layers", Layers, 1, MaxLayers);
        RequireRange("input_depth", InputDepth, 0, MaxDepth);
        RequireRange("transition_depth", TransitionDepth, 1, MaxDepth);
        RequireRange("readout_depth", ReadoutDepth, 0, MaxDepth);
        RequireRange("gate_depth", GateDepth, 1, MaxDepth);
        RequireRange("output_depth", OutputDepth, 0, MaxDepth);
        if (Width is { } w) RequireRange("width", w, 1, MaxSize);
        if (double.IsNaN(Dropout) || Dropout < 0 || Dropout >= 1)
            throw new SpecException($"dropout={Format(Dropout)} is out of range; allowed: a number in [0, 1)");

        if (Residual && Layers < 2)
            throw new SpecException("residual=true needs layers >= 2 (it adds layer l-1's output to layer l's)");
        if (Skip && Layers < 2)
            throw new SpecException("skip=true needs layers >= 2 (Graves-style input-to-every-layer and all-layers-to-output connections)");
        if (Shortcut && !HasMlpTrunk)
            throw new SpecException("shortcut=true needs transition=mlp with transition_depth >= 2 (it is the DT(S) shortcut around the MLP trunk)");
        if (Transition == TransitionKind.Micro && TransitionDepth < 2)
            throw new SpecException("transition=micro needs transition_depth >= 2 (one micro-step is the plain cell)");
        if (IsHighway && Cell != CellType.Rnn)
            throw new SpecException($"transition=highway is the Recurrent Highway Network and needs cell RNN, not {Cell.Name()}; use transition=micro for stacked {Cell.Name()} micro-steps");
        if (ReadoutDepth > 0 && Cell != CellType.Lstm)
            throw new SpecException($"readout_depth={ReadoutDepth} needs cell LSTM (it deepens h = o * MLP(tanh(c))); {Cell.Name()} has no memory cell to read out");
        if (GateDepth > 1 && !Cell.IsGated())
            throw new SpecException("gate_depth > 1 needs a gated cell (GRU or LSTM); for a deeper RNN transition use transition_depth");
        if (GateDepth > 1 && (HasMlpTrunk || IsHighway))
            throw new SpecException("gate_depth > 1 cannot be combined with transition=mlp/highway and transition_depth > 1 (both replace the same pre-activation); use transition=micro to combine them");
        if (!HasAnyMlp)
        {
            if (Width is not null) throw new SpecException("width is set but the spec has no MLP (input_depth, transition_depth with transition=mlp, readout_depth, gate_depth or output_depth)");
            if (Act != Activation.Tanh) throw new SpecException("act is set but the spec has no MLP to apply it to (input_depth, transition_depth with transition=mlp, readout_depth, gate_depth or output_depth)");
            if (LayerNorm) throw new SpecException("layer_norm=true is set but the spec has no MLP to normalise (input_depth, transition_depth with transition=mlp, readout_depth, gate_depth or output_depth)");
        }
        return this;
    }

    private static void RequireRange(string key, int value, int min, int max)
    {
        if (value < min || value > max)
            throw new SpecException($"{key}={value} is out of range; allowed: an integer from {min} to {max}");
    }

    /// <summary>Canonical form: the cell, then every non-default key in the fixed grammar order.</summary>
    public override string ToString()
    {
        var keys = new List<string>();
        if (Hidden is { } hidden) keys.Add($"hidden={hidden}");
        if (Layers != 1) keys.Add($"layers={Layers}");
        if (Residual) keys.Add("residual=true");
        if (Skip) keys.Add("skip=true");
        if (InputDepth != 0) keys.Add($"input_depth={InputDepth}");
        if (TransitionDepth != 1) keys.Add($"transition_depth={TransitionDepth}");
        if (Transition != TransitionKind.Mlp) keys.Add($"transition={Transition.ToString().ToLowerInvariant()}");
        if (Shortcut) keys.Add("shortcut=true");
        if (ReadoutDepth != 0) keys.Add($"readout_depth={ReadoutDepth}");
        if (GateDepth != 1) keys.Add($"gate_depth={GateDepth}");
        if (OutputDepth != 0) keys.Add($"output_depth={OutputDepth}");
        if (Width is { } width) keys.Add($"width={width}");
        if (Act != Activation.Tanh) keys.Add($"act={Act.ToString().ToLowerInvariant()}");
        if (LayerNorm) keys.Add("layer_norm=true");
        if (Dropout != 0) keys.Add($"dropout={Format(Dropout)}");
        var text = new StringBuilder(Cell.Name());
        if (keys.Count > 0) text.Append(':').Append(string.Join(',', keys));
        return text.ToString();
    }

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
