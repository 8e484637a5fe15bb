namespace RnnSearch.Coordinator.Leaderboard;

/// <summary>
/// The paired bootstrap of the relative difference mean(candidate − baseline) / mean(baseline): resample the seeds
/// (each seed's pair stays together) with replacement, recompute the ratio, take the expanded percentile interval.
/// The generator is SplitMix64 (Steele, Lea and Flood 2014) with a fixed seed, written out here so the same pairs give
/// the same interval on every machine and .NET version.
/// </summary>
public static class Bootstrap
{
    public const int Resamples = 10_000;
    public const int RandomSeed = 20_160_101;

    /// <summary>mean(candidate − baseline) / mean(baseline); null when the baseline mean is not positive (every metric here is positive).</summary>
    public static double? RelativeDifference(IReadOnlyList<double> candidate, IReadOnlyList<double> baseline)
    {
        if (candidate.Count != baseline.Count) throw new ArgumentException("candidate and baseline must be paired");
        if (candidate.Count == 0) return null;
        var baseMean = baseline.Average();
        return baseMean > 0 && double.IsFinite(baseMean) ? (candidate.Average() - baseMean) / baseMean : null;
    }

    /// <summary>
    /// The 95 % interval of the relative difference over paired resamples; null below two pairs or without a positive
    /// baseline mean. An expanded percentile interval (Hesterberg 2015): the plain percentile interval is too narrow
    /// at a few seeds (it behaves like z·s/√n instead of t·s/√(n−1)), so the tail share is widened to
    /// Φ(−√(n/(n−1))·t(0.975, n−1)), e.g. 0.1 % instead of 2.5 % at five seeds.
    /// </summary>
    public static (double Low, double High)? RelativeDifferenceCi95(IReadOnlyList<double> candidate, IReadOnlyList<double> baseline, int resamples = Resamples, int seed = RandomSeed)
    {
        if (candidate.Count != baseline.Count) throw new ArgumentException("candidate and baseline must be paired");
        var n = candidate.Count;
        if (n < 2 || RelativeDifference(candidate, baseline) is null) return null;
        var (c, b) = (candidate.ToArray(), baseline.ToArray());
        var state = (ulong)seed;
        var ratios = new double[resamples];
        var count = 0;
        for (var r = 0; r < resamples; r++)
        {
            double sumCandidate = 0, sumBaseline = 0;
            for (var i = 0; i < n; i++)
            {
                var k = (int)Math.BigMul(SplitMix64(ref state), (ulong)n, out _);
                sumCandidate += c[k];
                sumBaseline += b[k];
            }
            if (sumBaseline > 0) ratios[count++] = (sumCandidate - sumBaseline) / sumBaseline;
        }
        Array.Resize(ref ratios, count);
        Array.Sort(ratios);
        var tail = TailShare(n);
        return (MathNet.Numerics.Statistics.SortedArrayStatistics.Quantile(ratios, tail), MathNet.Numerics.Statistics.SortedArrayStatistics.Quantile(ratios, 1 - tail));
    }

    /// <summary>The share of resamples left out on each side: Φ(−√(n/(n−1))·t(0.975, n−1)) (0.025 for large n).</summary>
    public static double TailShare(int n) =>
        MathNet.Numerics.Distributions.Normal.CDF(0, 1, -Math.Sqrt(n / (n - 1.0)) * MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, n - 1, 0.975));

    private static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
