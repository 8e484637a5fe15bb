using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>
/// The matrix products inside one layer's time loop, y_t = base_t + a_t·Wᵀ (+ bias), set up once per sequence.
/// Cells register their products before the loop (<see cref="Add"/>), the layer seals them, and each step calls
/// <see cref="LoopProduct.At"/>: one addmm on a precomputed per-step slice with a transposed weight made once.
/// When gradients are on, the weights' gradients are deferred: the loop uses detached weights and records its
/// inputs, and one <see cref="DeferredWeightGradients"/> node per sequence computes every weight gradient with a
/// single large product (biases are part of the base and get theirs through autograd as usual).
/// </summary>
internal sealed class LoopProducts(long steps, long batch)
{
    [ThreadStatic] private static bool _eagerOnThisThread;

    private readonly List<LoopProduct> _products = [];
    private bool _sealed;

    /// <summary>
    /// Until disposed, loops on this thread let autograd compute weight gradients step by step (the plain way), for
    /// tests that compare both ways and for the benchmarks that measure what deferring buys.
    /// </summary>
    public static IDisposable EagerWeightGradients()
    {
        var previous = _eagerOnThisThread;
        _eagerOnThisThread = true;
        return new Restore(() => _eagerOnThisThread = previous);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    public long Steps { get; } = steps;
    public long Batch { get; } = batch;

    /// <summary>True when weight gradients are deferred (gradient mode on and some weight requires a gradient).</summary>
    public bool Deferred { get; private set; }

    /// <summary>Registers y_t = base_t + bias + a_t·Wᵀ; base is [T, B, out] (e.g. part of the projected input) or null, bias [out] or null.</summary>
    public LoopProduct Add(Tensor weight, Tensor? @base = null, Tensor? bias = null)
    {
        if (_sealed) throw new InvalidOperationException("products are registered before the loop starts");
        var product = new LoopProduct(this, weight, @base, bias);
        _products.Add(product);
        return product;
    }

    /// <summary>Per-step views of a [T, …] tensor (one unbind for the whole sequence).</summary>
    public static Tensor[] PerStep(Tensor sequence) => sequence.unbind(0);

    public void Seal()
    {
        _sealed = true;
        Deferred = !_eagerOnThisThread && is_grad_enabled() && _products.Any(p => p.Weight.requires_grad);
        if (!Deferred)
        {
            foreach (var product in _products) product.SealDirect();
            return;
        }
        var inputs = new DeferredWeightGradients.Inputs(_products.Select(p => new[] { Steps, Batch, p.Weight.shape[0] }).ToList());
        var sinks = DeferredWeightGradients.apply([.. _products.Select(p => (object)p.Weight), inputs]);
        for (var i = 0; i < _products.Count; i++) _products[i].SealDeferred(sinks[i], inputs, i);
    }

    /// <summary>After the loop: hands the recorded inputs to the deferred gradient node.</summary>
    public void Finish()
    {
        foreach (var product in _products) product.Finish();
    }
}

/// <summary>One registered product of a time loop (see <see cref="LoopProducts"/>).</summary>
internal sealed class LoopProduct
{
    private readonly LoopProducts _owner;
    private readonly Tensor? _base;
    private readonly Tensor? _bias;
    private Tensor _weightT = null!;
    private Tensor[]? _sinks;
    private Tensor? _constant;
    private Tensor?[]? _recorded;
    private DeferredWeightGradients.Inputs? _inputs;
    private int _index;

    internal LoopProduct(LoopProducts owner, Tensor weight, Tensor? @base, Tensor? bias)
    {
        _owner = owner;
        Weight = weight;
        _base = @base;
        _bias = bias;
    }

    public Tensor Weight { get; }

    internal void SealDirect()
    {
        _weightT = Weight.t();
        if (_base is not null) _sinks = LoopProducts.PerStep(_bias is null ? _base : _base.Plus(_bias));
        else _constant = _bias;
    }

    internal void SealDeferred(Tensor sink, DeferredWeightGradients.Inputs inputs, int index)
    {
        _weightT = Weight.detach().t();
        var full = _base is null ? (_bias is null ? sink : sink.Plus(_bias)) : (_bias is null ? _base : _base.Plus(_bias)).Plus(sink);
        _sinks = LoopProducts.PerStep(full);
        _recorded = new Tensor?[_owner.Steps];
        _inputs = inputs;
        _index = index;
    }

    /// <summary>y_t = base_t + bias + a_t·Wᵀ for step <paramref name="t"/>.</summary>
    public Tensor At(int t, Tensor a)
    {
        if (_recorded is not null) _recorded[t] = a.detach().MoveToOuterDisposeScope();
        if (_sinks is not null) return _sinks[t].addmm(a, _weightT);
        return _constant is null ? a.mm(_weightT) : _constant.addmm(a, _weightT);
    }

    internal void Finish()
    {
        if (_recorded is null) return;
        if (_recorded.Any(r => r is null)) throw new InvalidOperationException("a deferred loop product was not computed at every step");
        using (no_grad()) _inputs!.Stacked[_index] = stack(_recorded!);
        foreach (var r in _recorded) r!.Dispose();
    }
}
