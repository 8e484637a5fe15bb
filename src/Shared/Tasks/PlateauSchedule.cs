namespace RnnSearch.Shared.Tasks;

/// <summary>
/// Reduce-on-plateau learning rate, as a pure function of the validation history so that a resumed trial (checkpoint)
/// continues with exactly the rate it had: after every <c>patience</c> epochs without a new best validation metric
/// (counted since the last best or the last reduction) the rate is multiplied by <see cref="Factor"/>, down to
/// <see cref="MinimumFraction"/> of the base rate. A patience of null keeps the rate constant.
/// </summary>
public static class PlateauSchedule
{
    public const double Factor = 0.5;
    public const double MinimumFraction = 1.0 / 64;

    /// <summary>The rate for the epoch after <paramref name="validHistory"/> (validation metrics of the epochs so far, lower is better).</summary>
    public static double Rate(double baseRate, int? patience, IEnumerable<double> validHistory)
    {
        if (patience is not { } p) return baseRate;
        var rate = baseRate;
        double? best = null;
        var flat = 0;
        foreach (var metric in validHistory)
        {
            if (best is null || metric < best) { best = metric; flat = 0; continue; }
            if (++flat < p) continue;
            rate = Math.Max(rate * Factor, baseRate * MinimumFraction);
            flat = 0;
        }
        return rate;
    }
}
