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

    public static void Print(LeaderboardReport report, IAnsiConsole console, bool plain = false) =>
        Print(report, console, plain || Console.IsOutputRedirected, Console.Out);

    /// <summary>The plain-text form (what a redirected console gets) written to <paramref name="output"/>.</summary>
    public static void PrintPlain(LeaderboardReport report, TextWriter output) => Print(report, AnsiConsole.Console, plain: true, output);

    private static void Print(LeaderboardReport report, IAnsiConsole console, bool plain, TextWriter output)
    {
        void Table(string title, string[] headers, IEnumerable<string[]> rows)
        {
            var body = rows.ToList();
            if (plain) PlainTable(output, title, headers, body);
            else
            {
                var table = new Table().Title(Markup.Escape(title)).AddColumns(headers.Select(h => new TableColumn(Markup.Escape(h))).ToArray());
                foreach (var row in body) table.AddRow(row.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c)).ToArray());
                console.Write(table);
            }
        }

        void WriteLine(string text)
        {
            if (plain) output.WriteLine(text); // unwrapped: a redirected console is 80 columns to Spectre
            else console.WriteLine(text);
        }

        WriteLine($"Leaderboard of {report.Study.Id}: {report.Study.Done}/{report.Study.Trials} trials recorded{(report.Study.Complete ? "" : " (study not complete)")}");
        WriteLine("Every final seed counts: ok at its test metric, diverged at its best epoch's (else the trivial model's), failed at the trivial model's; " +
                  "seeds stopped by the time limit are left out and counted. ok/seeds: survivors of the seeds in the mean.");
        foreach (var task in report.Tasks)
        {
            Table($"{task.Task}: test {task.MetricName} over seeds (mean, 95 % CI), lower is better",
                ["#", "candidate", "family", "params", "d_r/d_f", "ok/seeds", "test", "95 % CI", "valid", "epochs", "s/trial", "status"],
                report.Rows.Where(r => r.Task == task.Task).OrderBy(r => r.Rank).Select(row => new[]
                {
                    row.Rank.ToString(C), row.Spec, row.Family, row.Params.ToString("N0", C), $"{row.RecurrentDepth:0.##}/{row.FeedForwardDepth:0.##}",
                    SurvivorsOfSeeds(row), F(row.TestMean), row.TestCi95 is { } ci ? $"[{F(ci[0])}, {F(ci[1])}]" : "-", F(row.ValidMean), F(row.EpochsMean, "0.0"),
                    F(row.TrainSecondsMean, "0"), string.Join(" ", row.Status.Select(s => $"{s.Key}:{s.Value}")),
                }));
        }
        if (report.Verdicts.Count > 0)
            Table($"Verdict per placement vs the baseline (paired over seeds, t-test, Holm-corrected, α = {LeaderboardBuilder.Alpha}); Δ < 0 is better; " +
                  $"Δ/base: bootstrap 95 % CI; MDE: smallest |Δ| detected with {Statistics.Power:P0} power",
                ["task", "cell", "budget", "family", "depth", "pairs", "ok c/b", "Δ mean", "Δ 95 % CI", "Δ/base", "Δ/base 95 % CI", "MDE", "p", "p (Holm)", "verdict"],
                report.Verdicts.Select(v => new[]
                {
                    v.Task, v.Cell, v.Budget?.ToString("N0", C) ?? "-", v.Family, v.Depth.ToString(C), v.Pairs.ToString(C), $"{v.CandidateSurvivors}/{v.BaselineSurvivors}",
                    F(v.DeltaMean), Ci(v.DeltaCi95), Pct(v.RelativeDelta), PctCi(v.RelativeCi95), v.Mde is { } m ? $"{F(m)} ({Pct(v.MdeRelative, "0.0")})" : "-",
                    F(v.PValue), F(v.PHolm), v.Outcome + Lost(v.StoppedTimeSeeds),
                }));
        if (report.PooledVerdicts.Count > 0)
            Table("Pooled over tasks with the same metric: exact Wilcoxon signed-rank test over the per-task Δ/baseline (one value per task), Holm-corrected; " +
                  "its smallest possible p is 2/2^tasks",
                ["metric", "cell", "budget", "family", "depth", "tasks", "pairs", "Δ/base (mean)", "per task", "p", "min p", "p (Holm)", "verdict"],
                report.PooledVerdicts.Select(v => new[]
                {
                    v.MetricName, v.Cell, v.Budget?.ToString("N0", C) ?? "-", v.Family, v.Depth.ToString(C), v.Tasks.ToString(C), v.Pairs.ToString(C),
                    Pct(v.RelativeDelta), string.Join(" ", v.TaskRelativeDeltas.Select(t => $"{t.Key}:{Pct(t.Value)}")), F(v.PValue), F(v.MinimumP), F(v.PHolm),
                    v.Outcome + Lost(v.StoppedTimeSeeds),
                }));
        if (report.NotSizeMatched.Count > 0)
            Table("Not size-matched (no budget: sizes fixed by the specs): differences listed, no verdict",
                ["task", "cell", "family", "candidate", "params", "baseline params", "pairs", "Δ mean", "Δ 95 % CI", "Δ/base", "Δ/base 95 % CI"],
                report.NotSizeMatched.Select(v => new[]
                {
                    v.Task, v.Cell, v.Family, v.Candidate, v.Params.ToString("N0", C), v.BaselineParams.ToString("N0", C), v.Pairs.ToString(C),
                    F(v.DeltaMean), Ci(v.DeltaCi95), Pct(v.RelativeDelta), PctCi(v.RelativeCi95),
                }));
        if (report.Trainability.Count > 0)
            Table("Trainability: share of the trials that ran their course (judged) that diverged, failed or never beat the trivial model; " +
                  "pruned (ASHA) and stopped by the time limit are not judged",
                ["cell", "family", "trials", "judged", "diverged", "failed", "never beat trivial", "pruned", "stopped-time", "share"],
                report.Trainability.Select(t => new[]
                {
                    t.Cell, t.Family, t.Trials.ToString(C), t.Judged.ToString(C), t.Diverged.ToString(C), t.Failed.ToString(C), t.NeverBeatTrivial.ToString(C),
                    t.Pruned.ToString(C), t.StoppedTime.ToString(C), t.Judged > 0 ? t.UntrainableShare.ToString("P0", C) : "-",
                }));
    }

    /// <summary>"3/5": survivors of the seeds in the mean, plus the seeds the time limit left out.</summary>
    public static string SurvivorsOfSeeds(LeaderboardRow row) =>
        $"{row.Survivors}/{row.Seeds}" + (row.StoppedTime > 0 ? $" +{row.StoppedTime} stopped-time" : "");

    private static string Lost(int seeds) => seeds > 0 ? $" ({seeds} seed{(seeds == 1 ? "" : "s")} stopped by the time limit left out)" : "";

    private static string Ci(double[]? ci) => ci is [var low, var high] ? $"[{F(low)}, {F(high)}]" : "-";

    private static string Pct(double? share, string format = "+0.0;-0.0;0.0") => share is { } v && double.IsFinite(v) ? (100 * v).ToString(format, C) + " %" : "-";

    private static string PctCi(double[]? ci) => ci is [var low, var high] ? $"[{Pct(low)}, {Pct(high)}]" : "-";

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
