using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Tasks;
using RnnSearch.Shared.Tests;
using RnnSearch.TrainerNode.Models;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Tests;

/// <summary>
/// The time loop defers weight gradients to one product per sequence (Models/LoopProducts.cs). Its gradients must
/// equal autograd's step-by-step ones for every kind of cell, and, for plain cells, those of the built-in module.
/// </summary>
public class DeferredGradientTests
{
    [Fact]
    public void Deferred_weight_gradients_equal_step_by_step_gradients_across_the_spec_grid()
    {
        var shape = TaskShape.Dense(5, 3);
        var checkedSpecs = 0;
        foreach (var spec in SpecGrid.Valid(hidden: 6).Where((_, i) => i % 23 == 0))
        {
            manual_seed(3);
            using var model = new RnnModel(spec, shape, preferBuiltin: false);
            model.eval(); // no dropout: both passes see the same function
            using var x = randn(7, 4, 5);
            var deferred = Gradients(model, x);
            Dictionary<string, Tensor> eager;
            using (LoopProducts.EagerWeightGradients()) eager = Gradients(model, x);
            foreach (var (name, grad) in eager)
            {
                var difference = (deferred[name] - grad).abs().max().item<float>();
                var scale = Math.Max(1f, grad.abs().max().item<float>());
                Assert.True(difference <= 1e-5f * scale, $"{spec}: gradient of {name} differs by {difference}");
            }
            checkedSpecs++;
        }
        Assert.True(checkedSpecs > 50, $"only {checkedSpecs} specs checked");
    }

    [Theory]
    [InlineData("LSTM:hidden=16,layers=2")]
    [InlineData("GRU:hidden=16,layers=2")]
    [InlineData("RNN:hidden=16")]
    public void Generic_plain_cells_have_the_builtin_modules_gradients(string text)
    {
        manual_seed(5);
        var spec = ArchSpecParser.Parse(text);
        var shape = TaskShape.Dense(9, 4);
        using var fast = new RnnModel(spec, shape);
        using var generic = new RnnModel(spec, shape, preferBuiltin: false);
        using (no_grad())
        {
            var genericParameters = generic.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, parameter) in fast.named_parameters().Where(p => !p.name.StartsWith("builtin.")))
                genericParameters[name].copy_(parameter);
        }
        generic.LoadBuiltinWeights(fast.Builtin!);
        using var x = randn(11, 3, 9);
        var expected = Gradients(fast, x);
        var actual = Gradients(generic, x);
        for (var l = 0; l < spec.Layers; l++)
            foreach (var name in new[] { "weight_hh", "weight_ih", "bias_ih", "bias_hh" })
            {
                var e = expected.Single(p => p.Key.EndsWith($".{name}_l{l}")).Value;
                var a = actual[$"layers.{l}.cell.{name}"];
                Assert.True((e - a).abs().max().item<float>() < 1e-5f, $"{name} of layer {l} differs");
            }
        Assert.True((expected["head.weight"] - actual["head.weight"]).abs().max().item<float>() < 1e-5f);
    }

    private static Dictionary<string, Tensor> Gradients(RnnModel model, Tensor x)
    {
        model.zero_grad();
        var (logits, _) = model.Forward(x, model.InitialState(x.shape[1], CPU));
        (logits * logits).mean().backward();
        return model.named_parameters().Where(p => p.parameter.grad is not null).ToDictionary(p => p.name, p => p.parameter.grad!.clone());
    }
}
