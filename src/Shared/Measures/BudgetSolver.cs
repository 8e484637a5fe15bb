using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Shared.Measures;

/// <summary>
/// Fair comparison at equal size: finds the hidden size (and the MLP width with it, when the width is tied)
/// whose total parameter count is closest to a budget, and accepts it only within a tolerance (1 % by default).
/// </summary>
public static class BudgetSolver
{
    public const double DefaultTolerance = 0.01;

    public static ArchSpec Solve(ArchSpec spec, TaskShape task, long budget, double tolerance = DefaultTolerance)
    {
        if (budget < 1) throw new SpecException($"budget={budget} is not allowed; allowed: a parameter count >= 1");
        if (spec.Hidden is not null)
            throw new SpecException($"spec '{spec}' already fixes hidden={spec.Hidden}; remove hidden to solve it from budget {budget}");

        long Count(int hidden) => ModelLayout.Total(spec with { Hidden = hidden }, task);

        // The count grows strictly with the hidden size, so a binary search finds the crossing.
        int low = 1, high = ArchSpec.MaxSize;
        if (Count(low) > budget * (1 + tolerance))
            throw new SpecException($"no size of '{spec}' fits budget {budget}: even hidden=1 has {Count(low)} parameters");
        if (Count(high) < budget * (1 - tolerance))
            throw new SpecException($"no size of '{spec}' reaches budget {budget}: hidden={high} has only {Count(high)} parameters");
        while (high - low > 1)
        {
            var mid = low + (high - low) / 2;
            if (Count(mid) <= budget) low = mid; else high = mid;
        }
        var best = Math.Abs(Count(low) - budget) <= Math.Abs(Count(high) - budget) ? low : high;
        var solved = spec with { Hidden = best };
        if (Error(solved, task, budget) > tolerance && spec.Width is null && spec.HasAnyMlp)
            solved = UntieWidth(spec, task, budget, best, tolerance);
        var count = ModelLayout.Total(solved, task);
        var error = Error(solved, task, budget);
        if (error > tolerance)
            throw new SpecException(
                $"no size of '{spec}' is within {tolerance:P0} of budget {budget}: the closest, hidden={solved.Hidden}, has {count} parameters ({error:P1} off)");
        return solved;
    }

    private static double Error(ArchSpec spec, TaskShape task, long budget) =>
        Math.Abs(ModelLayout.Total(spec, task) - budget) / (double)budget;

    /// <summary>
    /// Small budgets can make one step of the hidden size larger than the tolerance. Then the MLP width is
    /// untied and solved next to hidden sizes around the best one, keeping it as close to the hidden size as possible.
    /// </summary>
    private static ArchSpec UntieWidth(ArchSpec spec, TaskShape task, long budget, int hidden, double tolerance)
    {
        var candidates = new List<ArchSpec> { spec with { Hidden = hidden } };
        for (var h = Math.Max(1, hidden - 3); h <= hidden + 3; h++)
        {
            int low = 1, high = 4 * h + 16;
            while (high - low > 1)
            {
                var mid = low + (high - low) / 2;
                if (ModelLayout.Total(spec with { Hidden = h, Width = mid }, task) <= budget) low = mid; else high = mid;
            }
            candidates.Add(spec with { Hidden = h, Width = low });
            candidates.Add(spec with { Hidden = h, Width = high });
        }
        var fitting = candidates.Where(c => Error(c, task, budget) <= tolerance).ToList();
        return fitting.Count > 0
            ? fitting.MinBy(c => Math.Abs((c.Width ?? c.Hidden!.Value) - c.Hidden!.Value) / (double)c.Hidden!.Value)!
            : candidates.MinBy(c => Error(c, task, budget))!;
    }
}
