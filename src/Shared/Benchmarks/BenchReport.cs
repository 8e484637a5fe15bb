using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RnnSearch.Shared.Benchmarks;

/// <summary>
/// The outcome of one benchmark run: a table (columns in order, one row per case), a summary of the figures the
/// goals are about, notes, the command line and the machine with its load before and after. Printed as a text table
/// and written as JSON; every timing in it comes from that one run (ratios are within the run).
/// </summary>
public sealed class BenchReport(string benchmark, IReadOnlyList<string> columns)
{
    private readonly List<Dictionary<string, object?>> _rows = [];

    public string Benchmark { get; } = benchmark;
    public IReadOnlyList<string> Columns { get; } = columns;
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows => _rows;
    public Dictionary<string, object?> Summary { get; } = [];
    public List<string> Notes { get; } = [];
    public string CommandLine { get; init; } = string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
    public BenchMachine Machine { get; } = BenchMachine.Current();
    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    public void Add(params (string Column, object? Value)[] cells)
    {
        foreach (var (column, _) in cells)
            if (!Columns.Contains(column)) throw new ArgumentException($"unknown column {column}");
        _rows.Add(cells.ToDictionary(c => c.Column, c => c.Value));
    }

    /// <summary>The table as fixed-width text, then the summary and notes.</summary>
    public string ToText()
    {
        var cells = _rows.Select(r => Columns.Select(c => Format(r.GetValueOrDefault(c))).ToArray()).ToList();
        var widths = Columns.Select((c, i) => Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        text.AppendLine($"{Benchmark} — {Machine.Cores} cores ({Machine.Cpu}), load {string.Join(" ", Machine.LoadAverage.Select(l => Format(l)))} at start, {string.Join(" ", BenchMachine.LoadAverageNow().Select(l => Format(l)))} now");
        text.AppendLine(string.Join("  ", Columns.Select((c, i) => c.PadLeft(widths[i]))));
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in cells) text.AppendLine(string.Join("  ", row.Select((v, i) => v.PadLeft(widths[i]))));
        foreach (var (key, value) in Summary) text.AppendLine($"{key}: {Format(value)}");
        foreach (var note in Notes) text.AppendLine($"note: {note}");
        return text.ToString();
    }

    public JsonObject ToJson() => new()
    {
        ["benchmark"] = Benchmark,
        ["command"] = CommandLine,
        ["started"] = Started.ToString("O", CultureInfo.InvariantCulture),
        ["finished"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        ["machine"] = JsonSerializer.SerializeToNode(new
        {
            cores = Machine.Cores, cpu = Machine.Cpu, os = Machine.Os, runtime = Machine.Runtime,
            load_average_start = Machine.LoadAverage, load_average_end = BenchMachine.LoadAverageNow(),
        }),
        ["columns"] = new JsonArray(Columns.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
        ["rows"] = new JsonArray(_rows.Select(r => (JsonNode?)new JsonObject(r.Select(p => KeyValuePair.Create(p.Key, ToNode(p.Value))))).ToArray()),
        ["summary"] = new JsonObject(Summary.Select(p => KeyValuePair.Create(p.Key, ToNode(p.Value)))),
        ["notes"] = new JsonArray(Notes.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()),
    };

    /// <summary>Prints the table to <paramref name="output"/> and writes the JSON to <paramref name="jsonPath"/> (folders created).</summary>
    public void Emit(TextWriter output, string jsonPath)
    {
        output.Write(ToText());
        var full = Path.GetFullPath(jsonPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        output.WriteLine($"JSON: {full}");
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        double d when !double.IsFinite(d) => null,
        JsonNode node => node,
        _ => JsonSerializer.SerializeToNode(value),
    };

    private static string Format(object? value) => value switch
    {
        null => "-",
        double d when !double.IsFinite(d) => "-",
        double d => Math.Abs(d) >= 1000 ? d.ToString("N0", CultureInfo.InvariantCulture)
            : Math.Abs(d) >= 100 ? d.ToString("F1", CultureInfo.InvariantCulture)
            : Math.Abs(d) >= 10 ? d.ToString("F2", CultureInfo.InvariantCulture) : d.ToString("F3", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
