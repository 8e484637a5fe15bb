using System.Globalization;
using Spectre.Console;

namespace RnnSearch.Coordinator.Leaderboard;

/// <summary>
/// Prints a leaderboard as tables: Spectre.Console tables in a terminal, plain aligned text (no wrapping, no box
/// characters) when the output is redirected to a file or a pipe.
/// </summary>
public static class LeaderboardPrinter
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Print(LeaderboardReport report, IAnsiConsole console, bool plain = false)
    {
        plain |= Console.IsOutputRedirected;
        void Table(string title, string[] headers, IEnumerable<string[]> rows)
        {
            var body = rows.ToList();
            if (plain) PlainTable(Console.Out, title, headers, body);
            else
            {
                var table = new Table().Title(Markup.Escape(title)).AddColumns(headers.Select(h => new TableColumn(Markup.Escape(h))).ToArray());
                foreach (var row in body) table.AddRow(row.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c)).ToArray());
                console.Write(table);
            }
        }

        void WriteLine(string text)
        {
            if (plain) Console.Out.WriteLine(text); // unwrapped: a redirected console is 80 columns to Spectre
            else console.WriteLine(text);
        }

        WriteLine($"Leaderboard of {report.Study.Id}: {report.Study.Done}/{report.Study.Trials} trials recorded{(report.Study.Complete ? "" : " (study not complete)")}");
        foreach (var task in report.Tasks)
        {
            Table($"{task.Task}: test {task.MetricName} over seeds (mean, 95 % CI), lower is better",
                ["#", "candidate", "family", "params", "d_r/d_f", "seeds", "test", "95 % CI", "valid", "epochs", "s/trial", "status"],
                report.Rows.Where(r => r.Task == task.Task).OrderBy(r => r.Rank).Select(row => new[]
                {
                    row.Rank.ToString(C), row.Spec, row.Family, row.Params.ToString("N0", C), $"{row.RecurrentDepth:0.##}/{row.FeedForwardDepth:0.##}",
                    row.Seeds.ToString(C), F(row.TestMean), row.TestCi95 is { } ci ? $"[{F(ci[0])}, {F(ci[1])}]" : "-", F(row.ValidMean), F(row.EpochsMean, "0.0"),
                    F(row.TrainSecondsMean, "0"), string.Join(" ", row.Status.Select(s => $"{s.Key}:{s.Value}")),
                }));
        }
        if (report.Verdicts.Count > 0)
            Table($"Verdict per placement vs the baseline (paired over seeds, Holm-corrected, α = {LeaderboardBuilder.Alpha}); Δ < 0 is better",
                ["task", "cell", "budget", "family", "depth", "pairs", "Δ mean", "Δ 95 % CI", "p", "p (Holm)", "verdict"],
                report.Verdicts.Concat(report.PooledVerdicts).Select(v => new[]
                {
                    v.Task, v.Cell, v.Budget?.ToString("N0", C) ?? "-", v.Family, v.Depth.ToString(C), v.Pairs.ToString(C), F(v.DeltaMean),
                    v.DeltaCi95 is { } ci ? $"[{F(ci[0])}, {F(ci[1])}]" : "-", F(v.PValue), F(v.PHolm), v.Outcome,
                }));
        if (report.Trainability.Count > 0)
            Table("Trainability: share of trials that diverged, failed or never beat the trivial model",
                ["cell", "family", "trials", "diverged", "failed", "never beat trivial", "share"],
                report.Trainability.Select(t => new[]
                {
                    t.Cell, t.Family, t.Trials.ToString(C), t.Diverged.ToString(C), t.Failed.ToString(C), t.NeverBeatTrivial.ToString(C), t.UntrainableShare.ToString("P0", C),
                }));
    }

    private static void PlainTable(TextWriter console, string title, string[] headers, List<string[]> rows)
    {
        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
        console.WriteLine();
        console.WriteLine(title);
        console.WriteLine(Line(headers));
        console.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows) console.WriteLine(Line(row));
    }

    private static string F(double? value, string format = "0.0000") => value is { } v && double.IsFinite(v) ? v.ToString(format, C) : "-";
}
