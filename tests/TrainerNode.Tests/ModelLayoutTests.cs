using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Measures;
using RnnSearch.Shared.Tasks;
using RnnSearch.Shared.Tests;
using RnnSearch.TrainerNode.Models;

namespace RnnSearch.TrainerNode.Tests;

public class ModelLayoutTests
{
    [Fact]
    public void Every_built_model_has_exactly_the_analytic_tensors()
    {
        var shapes = new[] { TaskShape.Dense(5, 3), new TaskShape(11, 11, TokenInput: true, OutputKind.Categorical) };
        var checkedSpecs = 0;
        foreach (var spec in SpecGrid.Valid(hidden: 6))
        {
            // Every 3rd spec of the grid keeps the test short while still covering every key and cell.
            if (checkedSpecs++ % 3 != 0) continue;
            foreach (var shape in shapes)
            {
                using var model = new RnnModel(spec, shape, preferBuiltin: false);
                var built = model.named_parameters().Select(p => $"{p.name} [{string.Join(", ", p.parameter.shape)}]").Order().ToList();
                var analytic = ModelLayout.Enumerate(spec, shape).Select(p => p.ToString()).Order().ToList();
                Assert.True(analytic.SequenceEqual(built), $"{spec}: analytic {string.Join("; ", analytic.Except(built))} vs built {string.Join("; ", built.Except(analytic))}");
            }
        }
        Assert.True(checkedSpecs > 500);
    }

    [Theory]
    [InlineData("LSTM:hidden=17,layers=3,dropout=0.2")]
    [InlineData("GRU:hidden=9,input_depth=2,output_depth=1")]
    [InlineData("RNN:hidden=5,layers=2")]
    public void Plain_specs_on_the_builtin_fast_path_count_the_same_parameters(string text)
    {
        var spec = ArchSpecParser.Parse(text);
        var shape = TaskShape.Dense(88, 88);
        using var model = new RnnModel(spec, shape);
        Assert.True(model.UsesBuiltin);
        Assert.Equal(ModelLayout.Total(spec, shape), model.parameters().Sum(p => p.numel()));
    }
}
