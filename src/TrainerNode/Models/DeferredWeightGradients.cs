using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>
/// The autograd node behind <see cref="LoopProducts"/>: its forward returns one zero tensor [T, B, out] per weight
/// (the gradient sinks the time loop adds its products to), and its backward receives the gradient G of each sink —
/// dL/d(product) for every step at once — and returns dL/dW = Gᵀ·A, with A the product's inputs of all steps, as one
/// matrix product over T·B rows. The loop itself multiplies by detached weights, so autograd computes no weight
/// gradient per step (a small [out × in] product and a full-size accumulation every step, which dominate large layers).
/// </summary>
internal sealed class DeferredWeightGradients : autograd.MultiTensorFunction<DeferredWeightGradients>
{
    /// <summary>What the backward needs, filled in after the loop: the stacked inputs of each product.</summary>
    public sealed class Inputs(IReadOnlyList<long[]> sinkShapes)
    {
        public IReadOnlyList<long[]> SinkShapes { get; } = sinkShapes;
        public Tensor?[] Stacked { get; } = new Tensor?[sinkShapes.Count];
    }

    public override string Name => nameof(DeferredWeightGradients);

    /// <summary>vars: the weights (each [out, in]) followed by their <see cref="Inputs"/>.</summary>
    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var inputs = (Inputs)vars[^1];
        ctx.save_data(nameof(Inputs), inputs);
        var device = ((Tensor)vars[0]).device;
        return inputs.SinkShapes.Select(shape => zeros(shape, device: device)).ToList();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grad_outputs)
    {
        var inputs = (Inputs)ctx.get_data(nameof(Inputs));
        var grads = new List<Tensor>(grad_outputs.Count + 1);
        for (var i = 0; i < grad_outputs.Count; i++)
        {
            var a = inputs.Stacked[i] ?? throw new InvalidOperationException("the time loop did not record the inputs of a deferred product");
            var g = grad_outputs[i];
            grads.Add(g.reshape(-1, g.shape[^1]).t().mm(a.reshape(-1, a.shape[^1])));
        }
        grads.Add(null!); // the Inputs argument is not a tensor
        return grads;
    }
}
