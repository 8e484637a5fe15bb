using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Measures;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Shared.Tests;

public class FlopCountTests
{
    private static readonly TaskShape[] Shapes =
    [
        TaskShape.Dense(5, 3),
        new(11, 11, TokenInput: true, OutputKind.Categorical),
        new(2, 1, TokenInput: false, OutputKind.Regression),
    ];

    [Fact]
    public void Flop_count_equals_the_operations_of_the_literal_equations_for_every_spec_of_the_grid()
    {
        var random = new Random(3);
        var checkedSpecs = 0;
        foreach (var spec in SpecGrid.Valid(hidden: 6))
        foreach (var shape in Shapes)
        {
            var layout = ModelLayout.Enumerate(spec, shape);
            var parameters = layout.ToDictionary(p => p.Name, p => RandomMatrix(random, p.Shape));
            var reference = new ReferenceModel(spec, shape, parameters);
            var state = Enumerable.Range(0, spec.Layers).Select(_ => new ReferenceLayerState(new double[6], spec.Cell == CellType.Lstm ? new double[6] : null)).ToList();
            if (shape.TokenInput) reference.Step(4, state);
            else reference.Step(Enumerable.Range(0, shape.InputSize).Select(_ => random.NextDouble()).ToArray(), state);

            Assert.True(reference.Read.SetEquals(layout.Select(p => p.Name)), $"{spec}: the equations use {string.Join(", ", reference.Read.Except(layout.Select(p => p.Name)))}; unused: {string.Join(", ", layout.Select(p => p.Name).Except(reference.Read))}");
            Assert.True(reference.Ops.Flops == FlopCounter.PerStep(spec, shape), $"{spec} on {shape}: the equations take {reference.Ops.Flops} FLOPs, FlopCounter says {FlopCounter.PerStep(spec, shape)}");
            checkedSpecs++;
        }
        Assert.True(checkedSpecs > 1500);
    }

    [Theory]
    // One spec per key, on the music shape, with the count written out: products 2·in·out, adds, activations, gating.
    [InlineData("GRU:hidden=4", 2 * 3 * 4 * 5 + 2 * 3 * 4 * 4 + 3 * 4 + 3 * 4 + 3 * 4 + 7 * 4 + 2 * 4 * 5 + 5 + 5)]
    [InlineData("RNN:hidden=4,transition=highway,transition_depth=2", 2 * 8 * 5 + 2 * (2 * 8 * 4 + 8 + 5 * 4) + 8 + 2 * 4 * 5 + 5 + 5)]
    [InlineData("LSTM:hidden=4,transition=micro,transition_depth=2", (2 * 16 * 5 + 2 * 16 * 4 + 16 + 16 + 16 + 9 * 4) + (2 * 16 * 4 + 16 + 16 + 9 * 4) + 2 * 4 * 5 + 5 + 5)]
    public void Flop_count_of_small_cells_matches_a_hand_count(string text, long expected)
    {
        var shape = TaskShape.Dense(5, 5);
        Assert.Equal(expected, FlopCounter.PerStep(ArchSpecParser.Parse(text), shape));
    }

    private static Matrix RandomMatrix(Random random, long[] shape)
    {
        var rows = (int)shape[0];
        var cols = shape.Length > 1 ? (int)shape[1] : 1;
        return new Matrix(rows, cols, Enumerable.Range(0, rows * cols).Select(_ => random.NextDouble() - 0.5).ToArray());
    }
}
