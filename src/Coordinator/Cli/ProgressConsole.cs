using System.Globalization;
using RnnSearch.Coordinator.Actors;
using Spectre.Console;

namespace RnnSearch.Coordinator.Cli;

/// <summary>
/// Shows the study's progress until it completes: a live Spectre.Console panel (trials done/total, ETA, busy nodes,
/// running trials) in a terminal, or one plain line every few seconds when the output is redirected.
/// </summary>
public static class ProgressConsole
{
    public static async Task RunAsync(StudyProgress progress, Task completion, CancellationToken cancellation)
    {
        if (Console.IsOutputRedirected)
        {
            var lastLine = "";
            while (!completion.IsCompleted && !cancellation.IsCancellationRequested)
            {
                var line = Line(progress.Current);
                if (line != lastLine) Console.WriteLine(line);
                lastLine = line;
                await Task.WhenAny(completion, Task.Delay(TimeSpan.FromSeconds(5), cancellation)).ConfigureAwait(false);
            }
            Console.WriteLine(Line(progress.Current));
            return;
        }
        await AnsiConsole.Live(Render(progress.Current)).StartAsync(async live =>
        {
            while (!completion.IsCompleted && !cancellation.IsCancellationRequested)
            {
                live.UpdateTarget(Render(progress.Current));
                await Task.WhenAny(completion, Task.Delay(TimeSpan.FromSeconds(1), cancellation)).ConfigureAwait(false);
            }
            live.UpdateTarget(Render(progress.Current));
        });
    }

    public static string Line(StudyProgress.Snapshot s)
    {
        var eta = s.Eta(DateTimeOffset.UtcNow) is { } e ? $"ETA {e:hh\\:mm\\:ss}" : "ETA -";
        var busy = s.Nodes.Count == 0 ? "no trainers yet" : $"{s.Nodes.Count(n => n.Busy > 0)}/{s.Nodes.Count} trainers busy";
        return $"[{DateTime.Now:HH:mm:ss}] trials {s.Done}/{s.Total} done, {s.Running.Count} running, {s.Failed} failed; {busy}; {eta}";
    }

    private static Spectre.Console.Rendering.IRenderable Render(StudyProgress.Snapshot s)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("trial", "task", "spec", "phase", "seed", "node", "epoch", "best valid");
        foreach (var r in s.Running.OrderBy(r => r.TrialId))
            table.AddRow(r.TrialId.ToString(CultureInfo.InvariantCulture), r.Task, Markup.Escape(r.Spec), r.Phase, r.Seed.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(r.NodeId), r.Epoch.ToString(CultureInfo.InvariantCulture), r.ValidMetric?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-");
        var bar = new BarChart().Width(60).AddItem("done", s.Done, Color.Green).AddItem("running", s.Running.Count, Color.Yellow).AddItem("pending", Math.Max(0, s.Pending), Color.Grey);
        return new Rows(new Markup(Markup.Escape(Line(s))), bar, table);
    }
}
