using RnnSearch.Coordinator.Leaderboard;

namespace RnnSearch.Coordinator.Tests;

public class StatisticsTests
{
    [Fact]
    public void Confidence_interval_uses_the_t_quantile()
    {
        // mean 2, s = 1, n = 3: t(0.975, 2) = 4.302653 → half width 4.302653 / √3 = 2.48414
        var ci = Statistics.ConfidenceInterval95([1.0, 2.0, 3.0])!.Value;
        Assert.Equal(2 - 2.484138, ci.Low, 5);
        Assert.Equal(2 + 2.484138, ci.High, 5);
        Assert.Null(Statistics.ConfidenceInterval95([1.0]));
    }

    [Fact]
    public void Paired_t_test_matches_a_hand_computed_case()
    {
        // d = [1, 2, 3, 4]: mean 2.5, s = 1.290994, t = 2.5 / (1.290994 / 2) = 3.872983, df 3 → p = 0.030466 (two-sided)
        Assert.Equal(0.030466, Statistics.PairedTTest([1.0, 2.0, 3.0, 4.0])!.Value, 5);
        Assert.Equal(1.0, Statistics.PairedTTest([0.0, 0.0])!.Value);
        Assert.Equal(0.0, Statistics.PairedTTest([0.5, 0.5, 0.5])!.Value);
        Assert.Null(Statistics.PairedTTest([1.0]));
    }

    [Fact]
    public void Holm_correction_is_monotone_and_capped()
    {
        var adjusted = Statistics.Holm([0.01, 0.04, null, 0.03, 0.5]);
        // sorted 0.01, 0.03, 0.04, 0.5 with m = 4: 0.04, 0.09, max(0.09, 0.08) = 0.09, min(1, 0.5) = 0.5
        Assert.Equal(0.04, adjusted[0]!.Value, 10);
        Assert.Equal(0.09, adjusted[3]!.Value, 10);
        Assert.Equal(0.09, adjusted[1]!.Value, 10);
        Assert.Null(adjusted[2]);
        Assert.Equal(0.5, adjusted[4]!.Value, 10);
    }

    [Fact]
    public void Minimum_detectable_effect_matches_hand_computed_cases()
    {
        // n = 10, sd = 1: the textbook shortcut (t(0.975, 9) + t(0.80, 9)) / √10 = (2.262157 + 0.883029) / 3.162278 = 0.994714;
        // the exact noncentral-t answer is a little larger, 0.996001 (400,000 simulated paired t-tests at d = 0.996001 reject 80.05 %).
        Assert.Equal(0.996001, Statistics.MinimumDetectableEffect(1, 10)!.Value, 5);
        Assert.InRange(Statistics.MinimumDetectableEffect(1, 10)!.Value / 0.994714, 1.0, 1.002);
        // It scales with the SD of the differences: sd = 0.3 → 0.2988.
        Assert.Equal(0.3 * 0.996001, Statistics.MinimumDetectableEffect(0.3, 10)!.Value, 5);
        // n = 5: shortcut (2.776445 + 0.940965) / √5 = 1.662476; exact 1.681997 (simulation: 79.93 %).
        Assert.Equal(1.681997, Statistics.MinimumDetectableEffect(1, 5)!.Value, 5);
        // Many pairs: the normal formula (z(0.975) + z(0.80)) · sd / √n = 2.801585 · 2 / √1000 = 0.177186 (exact: 0.177358; equal to three decimals).
        Assert.Equal(0.177186, Statistics.MinimumDetectableEffect(2, 1000)!.Value, 3);
        // The power it is solved from: α at no effect, 80 % at the MDE.
        Assert.Equal(0.05, Statistics.PairedTPower(0, 5), 9);
        Assert.Equal(0.80, Statistics.PairedTPower(1.681997, 5), 5);
        Assert.Equal(0, Statistics.MinimumDetectableEffect(0, 5));
        Assert.Null(Statistics.MinimumDetectableEffect(1, 1));
    }

    [Fact]
    public void Paired_bootstrap_interval_is_deterministic_and_covers_a_known_effect()
    {
        // Baselines around 10 with seed-level spread; the candidate is 5 % lower on every seed, plus a little of its own noise.
        double[] baseline = [9.6, 10.4, 10.1, 9.8, 10.3, 9.9, 10.0];
        double[] own = [0.03, -0.02, 0.01, -0.04, 0.02, 0.0, -0.01];
        var candidate = baseline.Select((b, i) => 0.95 * b + own[i]).ToArray();

        var first = Bootstrap.RelativeDifferenceCi95(candidate, baseline)!.Value;
        var second = Bootstrap.RelativeDifferenceCi95(candidate, baseline)!.Value;
        Assert.Equal(first, second); // same pairs, same interval, to the last bit
        Assert.InRange(-0.05, first.Low, first.High);
        Assert.True(first.High - first.Low < 0.01, $"interval [{first.Low}, {first.High}] is wider than the noise allows");
        Assert.Equal(-0.05 + own.Average() / baseline.Average(), Bootstrap.RelativeDifference(candidate, baseline)!.Value, 12);

        // Over many five-seed data sets with a true −3 % effect, about 95 % of the intervals cover it (the expanded percentile
        // interval; the plain 2.5–97.5 % one covers only about 86 % at five seeds).
        var random = new MathNet.Numerics.Random.MersenneTwister(7);
        var covered = 0;
        const int datasets = 200;
        for (var d = 0; d < datasets; d++)
        {
            var b = Enumerable.Range(0, 5).Select(_ => 10 + MathNet.Numerics.Distributions.Normal.Sample(random, 0, 0.5)).ToArray();
            var c = b.Select(x => 0.97 * x + MathNet.Numerics.Distributions.Normal.Sample(random, 0, 0.1)).ToArray();
            var ci = Bootstrap.RelativeDifferenceCi95(c, b, resamples: 2000)!.Value;
            if (ci.Low <= -0.03 && -0.03 <= ci.High) covered++;
        }
        Assert.InRange(covered / (double)datasets, 0.90, 0.98);
        Assert.Equal(0.025, Bootstrap.TailShare(10_000), 3);
        Assert.Equal(0.00095, Bootstrap.TailShare(5), 5);
        Assert.Null(Bootstrap.RelativeDifferenceCi95([1.0], [2.0]));
    }

    [Fact]
    public void Signed_rank_test_is_exact()
    {
        // Four tasks, all worse: W+ = 10 is the most extreme of 16 sign patterns → p = 2/16.
        var allWorse = SignedRankTest.Test([0.01, 0.02, 0.03, 0.04]);
        Assert.Equal(0.125, allWorse.P, 12);
        Assert.Equal(0.125, allWorse.MinimumP, 12);
        // [−1, 2, 3, 4, 5]: W+ = 14 of 15; P(W+ ≥ 14) = 2/32 → p = 4/32.
        var one = SignedRankTest.Test([-1.0, 2, 3, 4, 5]);
        Assert.Equal((14.0, 1.0), (one.WPlus, one.WMinus));
        Assert.Equal(0.125, one.P, 12);
        // Ties get the mean rank; zeros are dropped: [1, 1, −2, 0] → ranks 1.5, 1.5, 3, W+ = 3 = the centre → p = 1.
        var tied = SignedRankTest.Test([1.0, 1, -2, 0]);
        Assert.Equal(3, tied.N);
        Assert.Equal(1.0, tied.P, 12);
        // Six agreeing tasks reach α: 2/64.
        Assert.Equal(2.0 / 64, SignedRankTest.Test([-0.1, -0.2, -0.3, -0.4, -0.5, -0.6]).P, 12);
        Assert.Equal(0.0625, SignedRankTest.MinimumP(5), 12);
    }
}
