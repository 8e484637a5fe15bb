using System.Globalization;
using Spectre.Console;

namespace RnnSearch.Coordinator.Leaderboard;

/// <summary>Prints a leaderboard as tables (Spectre.Console; plain text when the output is redirected).</summary>
public static class LeaderboardPrinter
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Print(LeaderboardReport report, IAnsiConsole console)
    {
        console.WriteLine($"Leaderboard of {report.Study.Id}: {report.Study.Done}/{report.Study.Trials} trials recorded{(report.Study.Complete ? "" : " (study not complete)")}");
        foreach (var task in report.Tasks)
        {
            var table = new Table().Title(Markup.Escape($"{task.Task}: test {task.MetricName} over seeds (mean, 95 % CI), lower is better")).AddColumns("#", "candidate", "family", "params", "d_r/d_f", "seeds", "test", "95 % CI", "valid", "epochs", "s/trial", "status");
            foreach (var row in report.Rows.Where(r => r.Task == task.Task).OrderBy(r => r.Rank))
                table.AddRow(row.Rank.ToString(C), row.Spec, row.Family, row.Params.ToString("N0", C), $"{row.RecurrentDepth:0.##}/{row.FeedForwardDepth:0.##}",
                    row.Seeds.ToString(C), F(row.TestMean), row.TestCi95 is { } ci ? $"[{F(ci[0])}, {F(ci[1])}]" : "-", F(row.ValidMean), F(row.EpochsMean, "0.0"),
                    F(row.TrainSecondsMean, "0"), string.Join(" ", row.Status.Select(s => $"{s.Key}:{s.Value}")));
            console.Write(table);
        }
        if (report.Verdicts.Count > 0)
        {
            var verdicts = new Table().Title(Markup.Escape($"Verdict per placement vs the baseline (paired over seeds, Holm-corrected, α = {LeaderboardBuilder.Alpha})"))
                .AddColumns("task", "cell", "budget", "family", "depth", "pairs", "Δ mean", "Δ 95 % CI", "p", "p (Holm)", "verdict");
            foreach (var v in report.Verdicts.Concat(report.PooledVerdicts))
                verdicts.AddRow(v.Task, v.Cell, v.Budget?.ToString("N0", C) ?? "-", v.Family, v.Depth.ToString(C), v.Pairs.ToString(C), F(v.DeltaMean),
                    v.DeltaCi95 is { } ci ? $"[{F(ci[0])}, {F(ci[1])}]" : "-", F(v.PValue), F(v.PHolm), v.Outcome);
            console.Write(verdicts);
        }
        if (report.Trainability.Count > 0)
        {
            var trainability = new Table().Title("Trainability: share of trials that diverged, failed or never beat the trivial model")
                .AddColumns("cell", "family", "trials", "diverged", "failed", "never beat trivial", "share");
            foreach (var t in report.Trainability)
                trainability.AddRow(t.Cell, t.Family, t.Trials.ToString(C), t.Diverged.ToString(C), t.Failed.ToString(C), t.NeverBeatTrivial.ToString(C), t.UntrainableShare.ToString("P0", C));
            console.Write(trainability);
        }
    }

    private static Table AddRow(this Table table, params string[] cells)
    {
        table.AddRow(cells.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c)).ToArray());
        return table;
    }

    private static string F(double? value, string format = "0.0000") => value is { } v && double.IsFinite(v) ? v.ToString(format, C) : "-";
}
