namespace RnnSearch.Coordinator.Report;

/// <summary>One colour per placement family, the same in the report's figures and the web UI (Web/Assets/app.js).</summary>
public static class FamilyColors
{
    private static readonly Dictionary<string, string> Hex = new()
    {
        ["baseline"] = "#344054", ["stack"] = "#1f77b4", ["deep-input"] = "#ff7f0e", ["deep-transition"] = "#2ca02c",
        ["deep-transition-shortcut"] = "#98c94c", ["micro-steps"] = "#9467bd", ["highway"] = "#8c564b", ["deep-readout"] = "#e377c2",
        ["deep-gates"] = "#bcbd22", ["deep-output"] = "#17becf", ["combined"] = "#d62728",
    };

    public static string HexOf(string family) => Hex.GetValueOrDefault(family, "#98a2b3");

    public static ScottPlot.Color Of(string family) => ScottPlot.Color.FromHex(HexOf(family));

    /// <summary>Families in a stable order: baseline first, then as the placement list names them.</summary>
    public static IEnumerable<string> Ordered(IEnumerable<string> families)
    {
        var order = Hex.Keys.ToList();
        return families.Distinct().OrderBy(f => order.IndexOf(f) is var i && i >= 0 ? i : int.MaxValue).ThenBy(f => f, StringComparer.Ordinal);
    }
}
