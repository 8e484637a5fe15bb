using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Measures;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Shared.Tests;

public class BudgetSolverTests
{
    private static readonly TaskShape Music = TaskShape.Dense(88, 88);

    [Theory]
    [InlineData("LSTM", 50_000)]
    [InlineData("sLSTM-2", 50_000)]
    [InlineData("DT(S)-LSTM", 50_000)]
    [InlineData("DOT(S)-RNN", 745_000)]
    [InlineData("RHN-5", 1_000_000)]
    [InlineData("LSTM:gate_depth=2", 200_000)]
    [InlineData("LSTM:readout_depth=2,width=64", 200_000)]
    [InlineData("GRU:input_depth=2,output_depth=2", 300_000)]
    public void Solved_models_land_within_one_percent_of_the_budget(string text, long budget)
    {
        var spec = BudgetSolver.Solve(ArchSpecParser.Parse(text), Music, budget);
        var count = ModelLayout.Total(spec, Music);
        Assert.InRange(count, budget * 0.99, budget * 1.01);
        // No other hidden size is closer.
        var below = ModelLayout.Total(spec with { Hidden = spec.Hidden - 1 }, Music);
        var above = ModelLayout.Total(spec with { Hidden = spec.Hidden + 1 }, Music);
        Assert.True(Math.Abs(count - budget) <= Math.Abs(below - budget) && Math.Abs(count - budget) <= Math.Abs(above - budget));
    }

    [Fact]
    public void A_budget_smaller_than_the_smallest_model_fails_clearly()
    {
        var error = Assert.Throws<SpecException>(() => BudgetSolver.Solve(ArchSpecParser.Parse("LSTM"), Music, 100));
        Assert.Contains("even hidden=1 has", error.Message);
    }

    [Fact]
    public void A_budget_between_two_sizes_that_no_size_meets_fails_clearly()
    {
        // hidden=1 → 1,0xx parameters with a fixed-size head; budgets far below the step between sizes cannot be met at 0.01 %.
        var error = Assert.Throws<SpecException>(() => BudgetSolver.Solve(ArchSpecParser.Parse("LSTM"), Music, 1_300, tolerance: 0.0001));
        Assert.Contains("closest", error.Message);
    }

    [Fact]
    public void A_spec_that_fixes_hidden_is_not_solved()
    {
        var error = Assert.Throws<SpecException>(() => BudgetSolver.Solve(ArchSpecParser.Parse("LSTM:hidden=10"), Music, 50_000));
        Assert.Contains("already fixes hidden", error.Message);
    }
}
