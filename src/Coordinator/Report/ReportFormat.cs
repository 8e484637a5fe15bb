using System.Globalization;

namespace RnnSearch.Coordinator.Report;

/// <summary>How the report writes numbers: invariant culture, a dash for a missing value.</summary>
public static class ReportFormat
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Metric(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("0.0000", C) : "–";

    public static string Signed(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("+0.0000;−0.0000;0.0000", C) : "–";

    public static string Interval(double[]? ci) => ci is [var low, var high] ? $"[{Signed(low)}, {Signed(high)}]" : "–";

    public static string PlainInterval(double[]? ci) => ci is [var low, var high] ? $"[{Metric(low)}, {Metric(high)}]" : "–";

    public static string P(double? value) => value switch
    {
        null => "–",
        < 0.001 => "< 0.001",
        { } v => v.ToString("0.000", C),
    };

    /// <summary>"p = 0.024", or "p &lt; 0.001"; <paramref name="name"/> is what the p is called.</summary>
    public static string PIs(string name, double? value) => value is < 0.001 ? $"{name} < 0.001" : $"{name} = {P(value)}";

    public static string Count(long? value) => value?.ToString("N0", C) ?? "–";

    public static string Number(double value, string format = "0.##") => value.ToString(format, C);

    public static string Percent(double share) => (100 * share).ToString("0", C) + " %";

    /// <summary>A relative difference as a signed percentage with one decimal: "−2.1 %".</summary>
    public static string SignedPercent(double? share) => share is { } v && double.IsFinite(v) ? (100 * v).ToString("+0.0;−0.0;0.0", C) + " %" : "–";

    public static string PercentInterval(double[]? ci) => ci is [var low, var high] ? $"[{SignedPercent(low)}, {SignedPercent(high)}]" : "–";

    /// <summary>A minimum detectable effect: "0.0123 (1.4 % of the baseline)" when the relative value is known.</summary>
    public static string Mde(double? absolute, double? relative) =>
        absolute is { } a && double.IsFinite(a) ? Metric(a) + (relative is { } r && double.IsFinite(r) ? $" ({(100 * r).ToString("0.0", C)} %)" : "") : "–";

    /// <summary>"3/5": surviving (ok) seeds of the seeds in the mean, and the seeds the time limit left out.</summary>
    public static string Survivors(Leaderboard.LeaderboardRow row) =>
        $"{row.Survivors}/{row.Seeds}" + (row.StoppedTime > 0 ? $" (+{row.StoppedTime} stopped by time)" : "");

    public static string Seconds(double seconds) => seconds < 120 ? $"{seconds:0} s" : seconds < 7200 ? $"{seconds / 60:0.#} min" : $"{seconds / 3600:0.#} h";
}
