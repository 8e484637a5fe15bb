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

    public static string Seconds(double seconds) => seconds < 120 ? $"{seconds:0} s" : seconds < 7200 ? $"{seconds / 60:0.#} min" : $"{seconds / 3600:0.#} h";
}
