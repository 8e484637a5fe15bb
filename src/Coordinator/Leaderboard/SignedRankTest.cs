namespace RnnSearch.Coordinator.Leaderboard;

/// <summary>
/// Wilcoxon's signed-rank test of values against zero, exact: zeros are dropped, ties get their mean rank, and the
/// p-value is counted over all 2^n sign patterns of the ranks (n is the number of tasks, a handful). With n values
/// the smallest p it can give is 2 / 2^n: 0.5 with two, 0.25 with three, 0.125 with four, 0.0625 with five; below six
/// values it can never reach α = 0.05, whatever the data.
/// </summary>
public static class SignedRankTest
{
    public const int MaxExact = 20;

    public sealed record Result(int N, double WPlus, double WMinus, double P, double MinimumP);

    public static double MinimumP(int n) => n == 0 ? 1 : Math.Min(1, 2 / Math.Pow(2, n));

    public static Result Test(IReadOnlyList<double> values)
    {
        var nonZero = values.Where(v => v != 0).ToList();
        var n = nonZero.Count;
        if (n > MaxExact) throw new ArgumentOutOfRangeException(nameof(values), n, $"the exact signed-rank test enumerates 2^n patterns; at most {MaxExact} values");
        var ranks = MeanRanks(nonZero.Select(Math.Abs).ToList());
        var wPlus = nonZero.Select((v, i) => v > 0 ? ranks[i] : 0).Sum();
        var total = ranks.Sum();
        if (n == 0) return new Result(0, 0, 0, 1, 1);
        // Ranks are whole or half numbers: count in halves so sums compare exactly.
        var halves = ranks.Select(r => (int)Math.Round(2 * r)).ToArray();
        var observed = (int)Math.Round(2 * wPlus);
        long atMost = 0, atLeast = 0;
        var patterns = 1L << n;
        for (long pattern = 0; pattern < patterns; pattern++)
        {
            var sum = 0;
            for (var i = 0; i < n; i++) if ((pattern & (1L << i)) != 0) sum += halves[i];
            if (sum <= observed) atMost++;
            if (sum >= observed) atLeast++;
        }
        var p = Math.Min(1, 2.0 * Math.Min(atMost, atLeast) / patterns);
        return new Result(n, wPlus, total - wPlus, p, MinimumP(n));
    }

    private static double[] MeanRanks(IReadOnlyList<double> magnitudes)
    {
        var order = magnitudes.Select((m, i) => (m, i)).OrderBy(x => x.m).ToList();
        var ranks = new double[magnitudes.Count];
        for (var start = 0; start < order.Count;)
        {
            var end = start;
            while (end + 1 < order.Count && order[end + 1].m == order[start].m) end++;
            var rank = (start + end + 2) / 2.0;
            for (var k = start; k <= end; k++) ranks[order[k].i] = rank;
            start = end + 1;
        }
        return ranks;
    }
}
