using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Tasks;
using RnnSearch.TrainerNode.Models;
using RnnSearch.TrainerNode.Training;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Tests;

public class FamiliesTrainTests
{
    /// <summary>One spec per placement family (and each cell), small enough to train in well under a second.</summary>
    public static TheoryData<string> Specs => new()
    {
        "LSTM:hidden=16", "GRU:hidden=16", "RNN:hidden=16",
        "LSTM:hidden=12,layers=2", "GRU:hidden=12,layers=3,residual=true,skip=true",
        "LSTM:hidden=16,input_depth=2", "GRU:hidden=16,output_depth=2,layer_norm=true,act=relu",
        "RNN:hidden=16,transition_depth=3", "LSTM:hidden=16,transition_depth=2,shortcut=true", "GRU:hidden=16,transition_depth=2",
        "GRU:hidden=12,transition=micro,transition_depth=2", "LSTM:hidden=12,transition=micro,transition_depth=2,gate_depth=2",
        "RNN:hidden=16,transition=highway,transition_depth=3",
        "LSTM:hidden=16,readout_depth=2,width=8", "LSTM:hidden=12,gate_depth=2", "GRU:hidden=12,gate_depth=3,layer_norm=true",
        "RNN:hidden=16,transition_depth=2,shortcut=true,output_depth=1,dropout=0.1",
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Every_family_fits_a_small_sequence_task_and_gradients_reach_the_first_layer(string text)
    {
        manual_seed(3);
        var spec = ArchSpecParser.Parse(text);
        var shape = TaskShape.Dense(4, 4);
        using var model = new RnnModel(spec, shape);
        // Target: the input delayed by two steps (needs memory), as a Bernoulli piano-roll-like task.
        using var x = (rand(20, 8, 4) > 0.5).to_type(ScalarType.Float32);
        using var target = cat([zeros(2, 8, 4), x.narrow(0, 0, 18)], 0);
        using var optimizer = new AdamW(model.parameters(), lr: 0.02);
        float Loss()
        {
            using var scope = NewDisposeScope();
            var (logits, _) = model.Forward(x, model.InitialState(8, CPU));
            return nn.functional.binary_cross_entropy_with_logits(logits, target).item<float>();
        }

        model.eval();
        var before = Loss();
        model.train();
        for (var step = 0; step < 60; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.ZeroGrad();
            var (logits, _) = model.Forward(x, model.InitialState(8, CPU));
            nn.functional.binary_cross_entropy_with_logits(logits, target).backward();
            if (step == 0)
            {
                var first = model.named_parameters().First(p => p.name.StartsWith("input_mlp") || p.name.StartsWith("layers.0") || p.name.StartsWith("builtin"));
                Assert.True(first.parameter.grad is not null && first.parameter.grad.abs().sum().item<float>() > 0, $"no gradient reached {first.name}");
            }
            optimizer.Step();
        }
        model.eval();
        var after = Loss();
        Assert.True(after < before * 0.9, $"{spec}: loss {before} → {after}");
    }
}
