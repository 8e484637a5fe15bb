using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Tasks;
using RnnSearch.TrainerNode.Models;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Tests;

public class BuiltinEquivalenceTests
{
    [Theory]
    [InlineData("RNN", 7, 16, 1)]
    [InlineData("RNN", 88, 128, 2)]
    [InlineData("GRU", 7, 16, 1)]
    [InlineData("GRU", 88, 64, 3)]
    [InlineData("LSTM", 7, 16, 1)]
    [InlineData("LSTM", 88, 128, 2)]
    [InlineData("LSTM", 30, 33, 3)]
    public void Plain_generic_layers_loaded_with_builtin_weights_give_the_builtin_outputs_and_states(string cell, int input, int hidden, int layers)
    {
        manual_seed(7);
        var spec = ArchSpecParser.Parse($"{cell}:hidden={hidden},layers={layers}");
        using var builtin = new BuiltinStack(spec.Cell, input, hidden, layers, dropout: null);
        using var generic = new RnnModel(spec, TaskShape.Dense(input, 5), preferBuiltin: false);
        generic.LoadBuiltinWeights(builtin);
        builtin.eval();
        generic.eval();

        using var x = randn(23, 4, input);
        var state = RandomState(spec, layers, 4, hidden);
        var (expected, expectedState) = builtin.Forward(x, state);
        var (actual, actualState) = generic.Recur(x, state);

        Assert.Equal(expected.shape, actual.shape);
        Assert.True((expected - actual).abs().max().item<float>() < 1e-5f, "outputs differ");
        for (var l = 0; l < layers; l++)
        {
            Assert.True((expectedState.Layers[l].H - actualState.Layers[l].H).abs().max().item<float>() < 1e-5f, $"h of layer {l} differs");
            if (spec.Cell == CellType.Lstm)
                Assert.True((expectedState.Layers[l].C! - actualState.Layers[l].C!).abs().max().item<float>() < 1e-5f, $"c of layer {l} differs");
        }
    }

    [Theory]
    [InlineData("LSTM:hidden=24,layers=2,input_depth=1,output_depth=1")]
    [InlineData("GRU:hidden=16")]
    [InlineData("RNN:hidden=12,layers=3")]
    public void Fast_path_model_and_generic_model_agree_end_to_end(string text)
    {
        manual_seed(11);
        var spec = ArchSpecParser.Parse(text);
        var shape = TaskShape.Dense(10, 6);
        using var fast = new RnnModel(spec, shape);
        using var generic = new RnnModel(spec, shape, preferBuiltin: false);
        Assert.True(fast.UsesBuiltin);
        Assert.False(generic.UsesBuiltin);
        using (no_grad())
        {
            var genericParameters = generic.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, parameter) in fast.named_parameters().Where(p => !p.name.StartsWith("builtin.")))
                genericParameters[name].copy_(parameter);
        }
        generic.LoadBuiltinWeights(fast.Builtin!);
        fast.eval();
        generic.eval();
        using var x = randn(9, 3, 10);
        var (a, _) = fast.Forward(x, fast.InitialState(3, CPU));
        var (b, _) = generic.Forward(x, generic.InitialState(3, CPU));
        Assert.True((a - b).abs().max().item<float>() < 1e-5f);
    }

    private static RecurrentState RandomState(ArchSpec spec, int layers, int batch, int hidden) =>
        new(Enumerable.Range(0, layers).Select(_ => new LayerState(randn(batch, hidden), spec.Cell == CellType.Lstm ? randn(batch, hidden) : null)).ToList());
}
