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
}
