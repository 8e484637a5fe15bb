using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Tasks;
using RnnSearch.Shared.Tests;
using RnnSearch.TrainerNode.Models;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Tests;

/// <summary>One initialisation for every family (docs/architecture-space.md, "Initialisation").</summary>
public class InitialisationTests
{
    /// <summary>Every cell and every place a gate's bias can live, on the built-in and the generic path.</summary>
    public static TheoryData<string, bool> Specs => new()
    {
        { "LSTM:hidden=6", true }, { "LSTM:hidden=6,layers=3", true }, { "LSTM:hidden=6,layers=3,dropout=0.2", true },
        { "LSTM:hidden=6,layers=2", false }, { "LSTM:hidden=6,transition=micro,transition_depth=2", false },
        { "LSTM:hidden=6,transition_depth=2", false }, { "LSTM:hidden=6,transition_depth=3,shortcut=true,layer_norm=true", false },
        { "LSTM:hidden=6,gate_depth=3,layer_norm=true", false }, { "LSTM:hidden=6,transition=micro,transition_depth=2,gate_depth=2", false },
        { "LSTM:hidden=6,readout_depth=2,input_depth=1,output_depth=1", false },
        { "GRU:hidden=6,layers=2", true }, { "GRU:hidden=6,layers=2", false }, { "GRU:hidden=6,transition_depth=2", false },
        { "GRU:hidden=6,transition_depth=2,shortcut=true", false }, { "GRU:hidden=6,gate_depth=2", false },
        { "GRU:hidden=6,transition=micro,transition_depth=3", false },
        { "RNN:hidden=6,layers=2,dropout=0.3", true }, { "RNN:hidden=6,transition_depth=2,shortcut=true", false },
        { "RNN:hidden=6,transition=highway,transition_depth=3", false },
    };

    /// <summary>
    /// With every weight zeroed, one step from h = c = 1 shows the biases alone: an LSTM forget gate at 1 keeps
    /// c = σ(1) per cell update (input gate σ(0) times candidate tanh(0) adds nothing), h = σ(0)·tanh(c); a GRU keeps
    /// h = σ(0)·h (candidate tanh(0)); an RNN gives tanh(0) = 0; an RHN micro-layer carries σ(2) of its state
    /// (transform gate σ(−2)). Any other non-zero bias would move these numbers.
    /// </summary>
    [Theory]
    [MemberData(nameof(Specs))]
    public void With_weights_zeroed_one_step_shows_forget_gates_at_one_and_every_other_bias_at_zero(string text, bool builtin)
    {
        var spec = ArchSpecParser.Parse(text);
        using var model = new RnnModel(spec, TaskShape.Dense(3, 2), preferBuiltin: builtin);
        Assert.Equal(builtin, model.UsesBuiltin);
        using (no_grad())
            foreach (var (name, parameter) in model.named_parameters())
                if (name.Split('.')[^1].Contains("weight")) parameter.zero_();
        model.eval();

        var d = spec.RequireHidden();
        var start = new RecurrentState(Enumerable.Range(0, spec.Layers)
            .Select(_ => new LayerState(ones(2, d), spec.Cell == CellType.Lstm ? ones(2, d) : null)).ToList());
        var (_, state) = model.Forward(zeros(1, 2, 3), start);

        var updates = spec.HasMicroSteps || spec.IsHighway ? spec.TransitionDepth : 1;
        double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
        var (h, c) = spec.Cell switch
        {
            CellType.Lstm => (spec.ReadoutDepth > 0 ? 0 : 0.5 * Math.Tanh(Math.Pow(Sigmoid(1), updates)), Math.Pow(Sigmoid(1), updates)),
            CellType.Gru => (Math.Pow(0.5, updates), double.NaN),
            _ => (spec.IsHighway ? Math.Pow(Sigmoid(2), updates) : 0, double.NaN),
        };
        foreach (var layer in state.Layers)
        {
            Assert.True((layer.H - h).abs().max().item<float>() < 1e-6, $"{spec}: h {layer.H.max().item<float>()}, expected {h}");
            if (layer.C is not null) Assert.True((layer.C - c).abs().max().item<float>() < 1e-6, $"{spec}: c {layer.C.max().item<float>()}, expected {c}");
        }
    }

    [Fact]
    public void A_model_built_from_a_generator_depends_on_that_generator_alone()
    {
        var shape = new TaskShape(11, 11, TokenInput: true, OutputKind.Categorical);
        var checkedSpecs = 0;
        foreach (var spec in SpecGrid.Valid(hidden: 6).Where((_, i) => i % 29 == 0))
        {
            foreach (var builtin in spec.IsPlainRecurrence ? new[] { true, false } : [false])
            {
                using var first = new Generator(42);
                using var a = new RnnModel(spec, shape, builtin, first);
                manual_seed(checkedSpecs); // the global generator must play no part
                using var second = new Generator(42);
                using var b = new RnnModel(spec, shape, builtin, second);
                using var third = new Generator(43);
                using var c = new RnnModel(spec, shape, builtin, third);
                var bs = b.named_parameters().ToDictionary(p => p.name, p => p.parameter);
                var cs = c.named_parameters().ToDictionary(p => p.name, p => p.parameter);
                foreach (var (name, parameter) in a.named_parameters())
                {
                    Assert.True(parameter.allclose(bs[name], 0, 0), $"{spec}: {name} differs between two generators seeded alike");
                    if (name.Split('.')[^1].Contains("weight") && !name.Contains("norm"))
                        Assert.False(parameter.allclose(cs[name], 0, 0), $"{spec}: {name} is the same under another seed");
                }
            }
            checkedSpecs++;
        }
        Assert.True(checkedSpecs > 50, $"only {checkedSpecs} specs checked");
    }
}
