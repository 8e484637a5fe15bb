using RnnSearch.Shared.Common;

namespace RnnSearch.Coordinator.Studies;

/// <summary>
/// Tree-structured Parzen Estimator (Bergstra et al. 2011) over the unit-scaled dimensions of a
/// <see cref="SearchSpace"/>: observations are split at the γ-quantile of the metric into good (l) and bad (g);
/// each side is a Parzen window (Gaussian kernels, truncated to [0, 1], plus a uniform prior component);
/// the next point is the best of N samples from l by the ratio l(x)/g(x). Batch sizes are a categorical
/// dimension with add-one smoothed frequencies. Until enough observations exist it draws at random.
/// </summary>
public sealed class TreeParzenEstimator(SearchSpace space, double gamma = 0.25, int candidates = 24, int startup = 3)
{
    public HyperParameters Next(IReadOnlyList<(HyperParameters Hyper, double Metric)> observations, SeededRandom random)
    {
        var finite = observations.Where(o => double.IsFinite(o.Metric)).OrderBy(o => o.Metric).ToList();
        if (finite.Count < Math.Max(startup, 2)) return space.Random(random);

        var goodCount = Math.Max(1, (int)Math.Ceiling(gamma * finite.Count));
        var good = finite.Take(goodCount).Select(o => o.Hyper).ToList();
        var bad = finite.Skip(goodCount).Select(o => o.Hyper).ToList();
        if (bad.Count == 0) return space.Random(random);

        var goodPoints = good.Select(space.ToUnit).ToList();
        var badPoints = bad.Select(space.ToUnit).ToList();
        var dims = space.Dimensions.Count;

        HyperParameters? best = null;
        var bestScore = double.NegativeInfinity;
        for (var c = 0; c < candidates; c++)
        {
            var point = new double[dims];
            for (var d = 0; d < dims; d++) point[d] = SampleParzen(goodPoints.Select(p => p[d]).ToList(), random);
            var batch = space.Batches.Count > 0 ? SampleCategorical(good.Select(h => h.BatchSize).ToList(), random) : space.Fixed.BatchSize;
            var score = 0.0;
            for (var d = 0; d < dims; d++)
                score += Math.Log(Density(goodPoints.Select(p => p[d]).ToList(), point[d])) - Math.Log(Density(badPoints.Select(p => p[d]).ToList(), point[d]));
            if (space.Batches.Count > 0)
                score += Math.Log(Frequency(good.Select(h => h.BatchSize).ToList(), batch)) - Math.Log(Frequency(bad.Select(h => h.BatchSize).ToList(), batch));
            if (score > bestScore)
            {
                bestScore = score;
                best = space.Compose(space.Dimensions.Select((dim, i) => dim.FromUnit(point[i])).ToArray(), batch);
            }
        }
        return best!;
    }

    private static double Bandwidth(int n) => Math.Max(0.05, 1.0 / Math.Sqrt(Math.Max(1, n)) * 0.5);

    private static double SampleParzen(List<double> centers, SeededRandom random)
    {
        // Mixture: each kernel, plus the uniform prior as one more component.
        var pick = random.Next(centers.Count + 1);
        if (pick == centers.Count) return random.NextDouble();
        for (var tries = 0; tries < 32; tries++)
        {
            var x = centers[pick] + Bandwidth(centers.Count) * random.NextGaussian();
            if (x is >= 0 and <= 1) return x;
        }
        return Math.Clamp(centers[pick], 0, 1);
    }

    private static double Density(List<double> centers, double x)
    {
        var h = Bandwidth(centers.Count);
        var sum = 1.0; // uniform prior component on [0, 1]
        foreach (var c in centers) sum += Math.Exp(-0.5 * Math.Pow((x - c) / h, 2)) / (h * Math.Sqrt(2 * Math.PI));
        return sum / (centers.Count + 1);
    }

    private int SampleCategorical(List<int> observed, SeededRandom random)
    {
        var weights = space.Batches.Select(b => Frequency(observed, b)).ToArray();
        var u = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u <= 0) return space.Batches[i];
        }
        return space.Batches[^1];
    }

    private double Frequency(List<int> observed, int value) => (observed.Count(v => v == value) + 1.0) / (observed.Count + space.Batches.Count);
}
