using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>
/// One recurrent layer run over a whole sequence [T, B, in] → [T, B, d]. The input-side products are computed
/// once for all steps; the products inside the loop are set up once per sequence (<see cref="LoopProducts"/>:
/// transposed weights, per-step slices, deferred weight gradients); the time loop does only what depends on
/// h_{t-1}, each step inside its own dispose scope.
/// </summary>
internal abstract class SequenceLayer(string name) : nn.Module(name)
{
    public abstract bool HasMemory { get; }

    /// <summary>Draws this layer's tensors (<see cref="Initialiser"/>; it runs under no_grad).</summary>
    public abstract void Initialise(Initialiser init);

    protected abstract Tensor? ProjectInput(Tensor x);

    /// <summary>Registers the loop's products (and keeps per-step views of <paramref name="projected"/>) before the loop.</summary>
    protected abstract void BeginSequence(LoopProducts products, Tensor? projected);

    protected abstract LayerState Step(int t, LayerState state);

    public (Tensor Output, LayerState State) Run(Tensor x, LayerState state)
    {
        var projected = ProjectInput(x);
        var length = x.shape[0];
        var products = new LoopProducts(length, state.H.shape[0]);
        BeginSequence(products, projected);
        products.Seal();
        var outputs = new Tensor[length];
        for (var t = 0; t < length; t++)
        {
            using var scope = NewDisposeScope();
            state = Step(t, state).MoveToOuterDisposeScope();
            outputs[t] = state.H;
        }
        products.Finish();
        return (stack(outputs), state);
    }
}

/// <summary>A layer whose step is one cell (plain, deep-transition trunk, or MLP gates).</summary>
internal sealed class CellLayer : SequenceLayer
{
    private readonly StepCell cell;
    private readonly bool _memory;

    public CellLayer(StepCell stepCell, bool hasMemory) : base(nameof(CellLayer))
    {
        cell = stepCell;
        _memory = hasMemory;
        RegisterComponents();
    }

    public StepCell Cell => cell;
    public override bool HasMemory => _memory;
    public override void Initialise(Initialiser init) => cell.Initialise(init);
    protected override Tensor? ProjectInput(Tensor x) => cell.ProjectInput(x);
    protected override void BeginSequence(LoopProducts products, Tensor? projected) => cell.BeginSequence(products, projected);
    protected override LayerState Step(int t, LayerState state) => cell.Step(t, state);
}

/// <summary>
/// Micro-steps (Barone et al. 2017; docs/reference/architectures.md §3, "micro"): k cells of the same type in series per
/// time step with separate weights; only the first reads x_t.
/// </summary>
internal sealed class MicroStepLayer : SequenceLayer
{
    private readonly TorchSharp.Modules.ModuleList<StepCell> cells;
    private readonly bool _memory;

    public MicroStepLayer(IEnumerable<StepCell> stepCells, bool hasMemory) : base(nameof(MicroStepLayer))
    {
        cells = new TorchSharp.Modules.ModuleList<StepCell>(stepCells.ToArray());
        _memory = hasMemory;
        RegisterComponents();
    }

    public override bool HasMemory => _memory;

    public override void Initialise(Initialiser init)
    {
        foreach (var cell in cells) cell.Initialise(init);
    }

    protected override Tensor? ProjectInput(Tensor x) => cells[0].ProjectInput(x);

    protected override void BeginSequence(LoopProducts products, Tensor? projected)
    {
        cells[0].BeginSequence(products, projected);
        for (var j = 1; j < cells.Count; j++) cells[j].BeginSequence(products, null);
    }

    protected override LayerState Step(int t, LayerState state)
    {
        for (var j = 0; j < cells.Count; j++) state = cells[j].Step(t, state);
        return state;
    }
}
