using System.Globalization;

namespace RnnSearch.Coordinator.Bench;

/// <summary>
/// A Prometheus histogram read from /metrics text (cumulative _bucket series summed over label sets and scrapes),
/// with percentiles by linear interpolation inside the bucket that holds them — as precise as the buckets.
/// </summary>
internal sealed class PrometheusHistogram
{
    private readonly SortedDictionary<double, double> _cumulative = [];

    public double Count => _cumulative.Count == 0 ? 0 : _cumulative.Values.Max();

    public void Add(string metricsText, string name)
    {
        var prefix = name + "_bucket{";
        foreach (var line in metricsText.Split('\n'))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var le = line.IndexOf("le=\"", StringComparison.Ordinal);
            if (le < 0) continue;
            var end = line.IndexOf('"', le + 4);
            var boundText = line[(le + 4)..end];
            var bound = boundText == "+Inf" ? double.PositiveInfinity : double.Parse(boundText, CultureInfo.InvariantCulture);
            var value = double.Parse(line[(line.IndexOf('}', end) + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            _cumulative[bound] = _cumulative.GetValueOrDefault(bound) + value;
        }
    }

    /// <summary>The p-th percentile (0–100) in the histogram's unit; +∞ when it falls in the last, open bucket.</summary>
    public double Percentile(double p)
    {
        var total = Count;
        if (total == 0) return double.NaN;
        var target = p / 100 * total;
        double lower = 0, below = 0;
        foreach (var (bound, cumulative) in _cumulative)
        {
            if (cumulative >= target)
            {
                if (double.IsPositiveInfinity(bound)) return double.PositiveInfinity;
                var inBucket = cumulative - below;
                return inBucket <= 0 ? bound : lower + (bound - lower) * (target - below) / inBucket;
            }
            lower = bound;
            below = cumulative;
        }
        return double.PositiveInfinity;
    }
}
