using RnnSearch.Shared.Common;

namespace RnnSearch.Coordinator.Studies;

/// <summary>
/// Tree-structured Parzen Estimator (Bergstra et al. 2011) over the unit-scaled dimensions of a
/// <see cref="SearchSpace"/>: observations are split at the γ-quantile of the metric into good (l) and bad (g);
/// each side is a Parzen mixture of multivariate kernels (one Gaussian per observation over all dimensions at once,
/// so a valley that runs across dimensions is followed, kept within [0, 1]) plus a uniform prior component; the
/// next point is the best of N samples from l by the ratio l(x)/g(x). Batch sizes are a categorical
/// dimension with add-one smoothed frequencies. Until enough finite observations exist it draws at random.
/// An observation with a non-finite metric (a diverged or failed draw, or a pending draw imputed as bad by the
/// scheduler's constant liar) is never good: it joins the bad side, so the search moves away from it.
/// </summary>
public sealed class TreeParzenEstimator(SearchSpace space, double gamma = 0.25, int candidates = 24, int startup = 3)
{
    public HyperParameters Next(IReadOnlyList<(HyperParameters Hyper, double Metric)> observations, SeededRandom random)
    {
        var finite = observations.Where(o => double.IsFinite(o.Metric)).OrderBy(o => o.Metric).ToList();
        if (finite.Count < Math.Max(startup, 2)) return space.Random(random);

        var goodCount = Math.Max(1, (int)Math.Ceiling(gamma * finite.Count));
        var good = finite.Take(goodCount).Select(o => o.Hyper).ToList();
        var bad = finite.Skip(goodCount).Concat(observations.Where(o => !double.IsFinite(o.Metric))).Select(o => o.Hyper).ToList();
        if (bad.Count == 0) return space.Random(random);

        var goodPoints = good.Select(space.ToUnit).ToList();
        var badPoints = bad.Select(space.ToUnit).ToList();
        var dims = space.Dimensions.Count;
        var goodWidth = Bandwidth(goodPoints.Count, dims);
        var badWidth = Bandwidth(badPoints.Count, dims);

        HyperParameters? best = null;
        var bestScore = double.NegativeInfinity;
        for (var c = 0; c < candidates; c++)
        {
            var point = SampleParzen(goodPoints, goodWidth, dims, random);
            var batch = space.Batches.Count > 0 ? SampleCategorical(good.Select(h => h.BatchSize).ToList(), random) : space.Fixed.BatchSize;
            var score = Math.Log(Density(goodPoints, goodWidth, point)) - Math.Log(Density(badPoints, badWidth, point));
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

    /// <summary>Kernel width on the unit scale: Scott's rule n^(-1/(d+4)), scaled as Optuna's multivariate TPE does.</summary>
    private static double Bandwidth(int n, int dims) => 0.2 * Math.Pow(Math.Max(1, n), -1.0 / (dims + 4));

    /// <summary>Samples the mixture: one of the kernels (all dimensions from it), or the uniform prior as one more component.</summary>
    private static double[] SampleParzen(List<double[]> centers, double width, int dims, SeededRandom random)
    {
        var pick = random.Next(centers.Count + 1);
        var point = new double[dims];
        for (var d = 0; d < dims; d++)
        {
            if (pick == centers.Count)
            {
                point[d] = random.NextDouble();
                continue;
            }
            point[d] = Math.Clamp(centers[pick][d], 0, 1);
            for (var tries = 0; tries < 32; tries++)
            {
                var x = centers[pick][d] + width * random.NextGaussian();
                if (x is < 0 or > 1) continue;
                point[d] = x;
                break;
            }
        }
        return point;
    }

    /// <summary>The mixture's density at a point: product kernels plus the uniform prior (density 1 on the unit cube).</summary>
    private static double Density(List<double[]> centers, double width, double[] x)
    {
        var sum = 1.0;
        var norm = 1 / (width * Math.Sqrt(2 * Math.PI));
        foreach (var c in centers)
        {
            var product = 1.0;
            for (var d = 0; d < x.Length; d++) product *= norm * Math.Exp(-0.5 * Math.Pow((x[d] - c[d]) / width, 2));
            sum += product;
        }
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
