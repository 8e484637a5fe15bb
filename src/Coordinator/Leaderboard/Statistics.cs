using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace RnnSearch.Coordinator.Leaderboard;

/// <summary>
/// The statistics behind the leaderboard: t-based confidence intervals, paired t-tests and their power (the minimum
/// detectable effect), Holm's correction. docs/protocol.md ("Statistics") says which is used where.
/// </summary>
public static class Statistics
{
    public const double Power = 0.80;

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

    /// <summary>
    /// Power of the two-sided paired t-test at level <paramref name="alpha"/> with <paramref name="n"/> pairs when the
    /// true mean difference is <paramref name="delta"/> standard deviations of the differences: P(|T'| &gt; t(1 − α/2, n − 1))
    /// for T' noncentral t with n − 1 degrees of freedom and noncentrality δ√n, integrated exactly over the
    /// distribution of s/σ (no normal approximation, which overstates the power at a few seeds).
    /// </summary>
    public static double PairedTPower(double delta, int n, double alpha = LeaderboardBuilder.Alpha)
    {
        if (n < 2) throw new ArgumentOutOfRangeException(nameof(n), n, "the paired t-test needs two pairs");
        var df = n - 1;
        var critical = StudentT.InvCDF(0, 1, df, 1 - alpha / 2);
        var lambda = Math.Abs(delta) * Math.Sqrt(n);
        // T' = (Z + λ) / S with S = sqrt(χ²_ν / ν); S has density 2 (ν/2)^(ν/2) s^(ν−1) e^(−ν s²/2) / Γ(ν/2).
        var logNorm = Math.Log(2) + df / 2.0 * Math.Log(df / 2.0) - SpecialFunctions.GammaLn(df / 2.0);
        double Density(double s) => s <= 0 ? 0 : Math.Exp(logNorm + (df - 1) * Math.Log(s) - df * s * s / 2);
        var upper = 1 + 40 / Math.Sqrt(df);
        var reject = Integrate.OnClosedInterval(s => (Normal.CDF(0, 1, lambda - critical * s) + Normal.CDF(0, 1, -lambda - critical * s)) * Density(s), 0, upper, 1e-12);
        return Math.Clamp(reject, 0, 1);
    }

    /// <summary>
    /// The smallest true mean difference the two-sided paired t-test at level α detects with 80 % power, given the
    /// standard deviation of the differences and the number of pairs: δ·sd with PairedTPower(δ, n) = 0.8. Zero when the
    /// differences have no spread; null below two pairs or for a non-finite spread.
    /// </summary>
    public static double? MinimumDetectableEffect(double sd, int n, double alpha = LeaderboardBuilder.Alpha, double power = Power)
    {
        if (n < 2 || !double.IsFinite(sd) || sd < 0) return null;
        return sd == 0 ? 0 : sd * DetectableEffectSize(n, alpha, power);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int, double, double), double> EffectSizes = new();

    /// <summary>The detectable effect in units of the SD of the differences (depends only on n, α and the power; solved once by bisection).</summary>
    public static double DetectableEffectSize(int n, double alpha = LeaderboardBuilder.Alpha, double power = Power) =>
        EffectSizes.GetOrAdd((n, alpha, power), _ =>
        {
            double low = 0, high = 1;
            while (PairedTPower(high, n, alpha) < power) high *= 2;
            while (high - low > 1e-9 * high)
            {
                var mid = (low + high) / 2;
                if (PairedTPower(mid, n, alpha) < power) low = mid;
                else high = mid;
            }
            return (low + high) / 2;
        });
}
