using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Tasks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>
/// Any spec as one model: [embedding] → input MLP → recurrent stack (residual / skip, dropout between layers) →
/// output MLP → task head (docs/reference/architectures.md). Plain stacks run on the built-in module unless told otherwise;
/// every other spec runs the generic layers. Dropout acts on non-recurrent connections only, each once: the input
/// of each layer (for layer 0 that is the input MLP's output, which the MLP therefore leaves undropped), the stack's
/// output, and inside the input/output MLPs (Zaremba et al.). Its masks and the initial weights come from the
/// trial's own generators (<see cref="Initialiser"/>, <see cref="Models.DropoutMasks"/>).
/// </summary>
internal sealed class RnnModel : nn.Module
{
    private readonly Embedding? embedding;
    private readonly Mlp input_mlp;
    private readonly ModuleList<SequenceLayer>? layers;
    private readonly BuiltinStack? builtin;
    private readonly Mlp output_mlp;
    private readonly Linear head;
    private readonly ArchSpec _spec;
    private readonly SeededDropout _dropout;

    /// <param name="initialisation">the CPU generator the weights are drawn from; null: torch's global generator</param>
    public RnnModel(ArchSpec spec, TaskShape task, bool preferBuiltin = true, Generator? initialisation = null) : base(nameof(RnnModel))
    {
        _spec = spec.Validate();
        _dropout = new SeededDropout(spec.Dropout);
        var d = spec.RequireHidden();
        var w = spec.EffectiveWidth;
        long x = task.TokenInput ? d : task.InputSize;
        if (task.TokenInput) embedding = nn.Embedding(task.InputSize, d);
        input_mlp = Mlp.Uniform(x, w, spec.InputDepth, spec.Act, spec.LayerNorm, _dropout, dropLast: false);
        x = input_mlp.OutputSize;

        if (preferBuiltin && spec.IsPlainRecurrence)
            builtin = new BuiltinStack(spec.Cell, x, d, spec.Layers, _dropout);
        else
        {
            layers = new ModuleList<SequenceLayer>();
            for (var l = 0; l < spec.Layers; l++)
                layers.Add(LayerFactory.Create(spec, l == 0 ? x : d + (spec.Skip ? x : 0)));
        }

        long top = spec.Skip ? spec.Layers * d : d;
        output_mlp = Mlp.Uniform(top, w, spec.OutputDepth, spec.Act, spec.LayerNorm, _dropout);
        head = nn.Linear(output_mlp.OutputSize, task.OutputSize);
        RegisterComponents();

        using var _ = no_grad();
        var init = new Initialiser(initialisation);
        Initialise(init);
        init.Check(this);
    }

    private void Initialise(Initialiser init)
    {
        if (embedding is not null) init.Normal(embedding.weight!);
        input_mlp.Initialise(init);
        builtin?.Initialise(init);
        if (layers is not null)
            foreach (var layer in layers) layer.Initialise(init);
        output_mlp.Initialise(init);
        init.Linear(head);
    }

    /// <summary>Where dropout masks come from (the trial's); null: torch's global generator.</summary>
    public DropoutMasks? DropoutMasks
    {
        get => _dropout.Masks;
        set => _dropout.Masks = value;
    }

    public ArchSpec Spec => _spec;
    public bool UsesBuiltin => builtin is not null;

    public RecurrentState InitialState(long batch, Device device)
    {
        var memory = _spec.Cell == CellType.Lstm;
        return new RecurrentState(Enumerable.Range(0, _spec.Layers)
            .Select(_ => LayerState.Zeros(memory, batch, _spec.RequireHidden(), device)).ToList());
    }

    /// <summary>Input [T, B] token ids or [T, B, n] features → logits [T, B, outputs] and the final state.</summary>
    public (Tensor Logits, RecurrentState State) Forward(Tensor input, RecurrentState state)
    {
        var x = embedding is null ? input : embedding.forward(input);
        x = input_mlp.forward(x);
        var (top, next) = Recur(x, state);
        var y = output_mlp.forward(Dropout(top));
        return (head.forward(y), next);
    }

    /// <summary>The recurrent stack alone: x′ [T, B, n′] → the top representation [T, B, d (or L·d with skip)].</summary>
    public (Tensor Top, RecurrentState State) Recur(Tensor x, RecurrentState state)
    {
        if (builtin is not null) return builtin.Forward(Dropout(x), state);

        var outputs = new List<Tensor>();
        var states = new List<LayerState>();
        var up = x;
        for (var l = 0; l < layers!.Count; l++)
        {
            var input = Dropout(l == 0 ? x : _spec.Skip ? cat([up, x], -1) : up);
            var (output, layerState) = layers[l].Run(input, state.Layers[l]);
            states.Add(layerState);
            outputs.Add(output);
            up = _spec.Residual && l > 0 ? output.Plus(up) : output;
        }
        return (_spec.Skip ? cat(outputs.ToArray(), -1) : up, new RecurrentState(states));
    }

    private Tensor Dropout(Tensor x) => _dropout.Apply(x, training);

    /// <summary>Copies the weights of a TorchSharp built-in RNN/GRU/LSTM (same cell, sizes and layer count) into the generic layers.</summary>
    public void LoadBuiltinWeights(BuiltinStack source)
    {
        if (layers is null) throw new InvalidOperationException("this model runs the built-in module itself");
        if (source.Cell != _spec.Cell) throw new ArgumentException($"built-in {source.Cell} does not match {_spec.Cell}");
        for (var l = 0; l < layers.Count; l++)
        {
            var cell = (layers[l] as CellLayer)?.Cell as PlainCell
                ?? throw new InvalidOperationException($"layer {l} is not a plain cell");
            var (wih, whh, bih, bhh) = source.LayerWeights(l);
            cell.LoadBuiltin(wih, whh, bih, bhh);
        }
    }

    public BuiltinStack? Builtin => builtin;
}
