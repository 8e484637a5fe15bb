using MathNet.Numerics.Distributions;

namespace RnnSearch.Coordinator.Leaderboard;

/// <summary>The statistics behind the leaderboard: t-based confidence intervals, paired t-tests, Holm's correction.</summary>
public static class Statistics
{
    public static double Mean(IReadOnlyList<double> values) => values.Count == 0 ? double.NaN : values.Average();

    /// <summary>Sample standard deviation (n − 1).</summary>
    public static double StdDev(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return double.NaN;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    /// <summary>95 % confidence interval of the mean, mean ± t(0.975, n−1)·s/√n; null below two values.</summary>
    public static (double Low, double High)? ConfidenceInterval95(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return null;
        var mean = values.Average();
        var half = StudentT.InvCDF(0, 1, values.Count - 1, 0.975) * StdDev(values) / Math.Sqrt(values.Count);
        return (mean - half, mean + half);
    }

    /// <summary>
    /// Two-sided paired t-test of the differences against 0. With zero spread the p-value is 0 for a non-zero
    /// mean and 1 for a zero mean. Null below two pairs.
    /// </summary>
    public static double? PairedTTest(IReadOnlyList<double> differences)
    {
        if (differences.Count < 2) return null;
        var mean = differences.Average();
        var sd = StdDev(differences);
        if (sd == 0) return mean == 0 ? 1.0 : 0.0;
        var t = mean / (sd / Math.Sqrt(differences.Count));
        return 2 * (1 - StudentT.CDF(0, 1, differences.Count - 1, Math.Abs(t)));
    }

    /// <summary>Holm–Bonferroni adjusted p-values (same order as given; nulls stay null).</summary>
    public static IReadOnlyList<double?> Holm(IReadOnlyList<double?> pValues)
    {
        var indexed = pValues.Select((p, i) => (p, i)).Where(x => x.p is not null).OrderBy(x => x.p!.Value).ToList();
        var adjusted = new double?[pValues.Count];
        var running = 0.0;
        for (var rank = 0; rank < indexed.Count; rank++)
        {
            var value = Math.Min(1.0, (indexed.Count - rank) * indexed[rank].p!.Value);
            running = Math.Max(running, value);
            adjusted[indexed[rank].i] = running;
        }
        return adjusted;
    }
}
