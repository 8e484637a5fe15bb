using ScottPlot;

namespace RnnSearch.Coordinator.Report;

/// <summary>
/// The report's figures, drawn with ScottPlot 5 as PNG: test metric against parameters per family, learning curves
/// (validation metric per epoch), trainability per family.
/// </summary>
public static class ReportFigures
{
    public const int Width = 960;
    public const int Height = 480;

    /// <summary>Every final trial's test metric (small dots) and each candidate's mean with its 95 % CI, by parameters.</summary>
    public static FigureBlock MetricVsParams(ReportData data, string task)
    {
        using var plot = NewPlot();
        var metric = data.MetricName(task);
        var finals = data.CountedSeeds.Where(t => t.Row.Task == task).ToList();
        var rowsOfTask = data.Leaderboard.Rows.Where(r => r.Task == task && r.TestMean is not null).ToList();
        var offsets = Dodge(rowsOfTask.Select(r => (r.Candidate, r.Params, r.Family)).ToList());
        foreach (var family in FamilyColors.Ordered(finals.Select(t => t.Row.Family)))
        {
            var color = FamilyColors.Of(family);
            var mine = finals.Where(t => t.Row.Family == family).ToList();
            var seeds = plot.Add.ScatterPoints(mine.Select(t => t.Row.Params + offsets.GetValueOrDefault(t.Row.Candidate)).ToArray(), mine.Select(t => t.Seed.Value!.Value).ToArray(), color.WithAlpha(0.5));
            seeds.MarkerSize = 6;
            var rows = rowsOfTask.Where(r => r.Family == family).ToList();
            var xs = rows.Select(r => r.Params + offsets.GetValueOrDefault(r.Candidate)).ToArray();
            var ys = rows.Select(r => r.TestMean!.Value).ToArray();
            var errors = rows.Select(r => r.TestCi95 is [var lo, var hi] ? (hi - lo) / 2 : 0).ToArray();
            var bars = plot.Add.ErrorBar(xs, ys, errors);
            bars.Color = color;
            bars.LineWidth = 2;
            var means = plot.Add.ScatterPoints(xs, ys, color);
            means.MarkerSize = 11;
            means.MarkerShape = MarkerShape.FilledDiamond;
            means.LegendText = family;
        }
        plot.Title($"{task}: test {metric} against parameters");
        plot.XLabel("parameters");
        plot.YLabel($"test {metric} (lower is better)");
        plot.Axes.Margins(0.06, 0.08);
        plot.ShowLegend(Edge.Right);
        return Figure(plot, $"fig-metric-params-{task}", $"metric-vs-params-{task}.png",
            $"{task}: test {metric} of every counted final seed (small dots, one per seed; a diverged or failed seed at the value it counts with) and each candidate's mean with its 95 % CI (diamonds and bars), " +
            "against its parameter count, coloured by family; candidates with the same parameter count are drawn side by side.");
    }

    /// <summary>Horizontal offsets that put candidates with the same parameter count side by side instead of on top of each other.</summary>
    private static Dictionary<long, double> Dodge(IReadOnlyList<(long Candidate, long Params, string Family)> rows)
    {
        var offsets = new Dictionary<long, double>();
        if (rows.Count == 0) return offsets;
        var span = Math.Max(rows.Max(r => r.Params) - rows.Min(r => r.Params), rows.Max(r => r.Params) * 0.01);
        var order = FamilyColors.Ordered(rows.Select(r => r.Family)).ToList();
        foreach (var group in rows.GroupBy(r => r.Params))
        {
            var members = group.OrderBy(r => order.IndexOf(r.Family)).ThenBy(r => r.Candidate).ToList();
            for (var i = 0; i < members.Count; i++) offsets[members[i].Candidate] = (i - (members.Count - 1) / 2.0) * 0.015 * span;
        }
        return offsets;
    }

    /// <summary>The validation metric per epoch of every trial of the task (current attempt), coloured by family.</summary>
    public static FigureBlock LearningCurves(ReportData data, string task)
    {
        using var plot = NewPlot();
        var metric = data.MetricName(task);
        var trials = data.Trials.Where(t => t.Task == task && data.Curves.ContainsKey(t.Id)).ToList();
        var labelled = new HashSet<string>();
        foreach (var family in FamilyColors.Ordered(trials.Select(t => t.Family)))
        {
            foreach (var trial in trials.Where(t => t.Family == family))
            {
                var curve = data.Curves[trial.Id];
                var line = plot.Add.ScatterLine(curve.Select(p => (double)p.Epoch).ToArray(), curve.Select(p => p.Valid).ToArray(), FamilyColors.Of(family).WithAlpha(0.75));
                line.LineWidth = 1.6f;
                if (labelled.Add(family)) line.LegendText = family;
            }
        }
        var values = trials.SelectMany(t => data.Curves[t.Id].Select(p => p.Valid)).Where(double.IsFinite).Order().ToList();
        if (values.Count > 1)
        {
            // The first epochs sit far above the rest: cap the axis at the 95th percentile so the end of training is readable.
            var low = values[0];
            var high = Math.Max(values[(int)Math.Floor(0.95 * (values.Count - 1))], low + 1e-6);
            var pad = (high - low) * 0.06;
            plot.Axes.SetLimitsY(low - pad, high + pad);
        }
        var lastEpoch = trials.SelectMany(t => data.Curves[t.Id].Select(p => p.Epoch)).DefaultIfEmpty(1).Max();
        plot.Axes.SetLimitsX(0.5, Math.Max(2, lastEpoch) + 0.5);
        plot.Title($"{task}: learning curves");
        plot.XLabel("epoch");
        plot.YLabel($"validation {metric}");
        plot.ShowLegend(Edge.Right);
        return Figure(plot, $"fig-curves-{task}", $"learning-curves-{task}.png",
            $"{task}: validation {metric} per epoch of every trial, one line per trial, coloured by family (y axis cut at the 95th percentile of all values, so the first epochs of some trials run off the top).");
    }

    /// <summary>
    /// Per cell and family, the share of the judged trials (ok, diverged, failed) that diverged, failed or never beat the
    /// trivial model (stacked, horizontal); the label also counts the pruned and time-stopped trials, which are not judged.
    /// </summary>
    public static FigureBlock Trainability(ReportData data)
    {
        using var plot = NewPlot();
        var order = FamilyColors.Ordered(data.Leaderboard.Trainability.Select(x => x.Family)).ToList();
        // Top to bottom in family order: the first entry gets the highest position.
        var entries = data.Leaderboard.Trainability.OrderBy(t => t.Cell, StringComparer.Ordinal).ThenBy(t => order.IndexOf(t.Family)).Reverse().ToList();
        var multipleCells = entries.Select(e => e.Cell).Distinct().Count() > 1;
        var parts = new (string Name, string Hex, Func<Leaderboard.Trainability, int> Count)[]
        {
            ("diverged", "#b42318", t => t.Diverged), ("failed", "#667085", t => t.Failed), ("never beat the trivial model", "#f79009", t => t.NeverBeatTrivial),
        };
        var bars = new List<Bar>();
        for (var i = 0; i < entries.Count; i++)
        {
            var start = 0.0;
            foreach (var part in parts)
            {
                var share = 100.0 * part.Count(entries[i]) / Math.Max(1, entries[i].Judged);
                if (share <= 0) continue;
                bars.Add(new Bar { Position = i, ValueBase = start, Value = start + share, FillColor = Color.FromHex(part.Hex), LineWidth = 0, Size = 0.6, Orientation = Orientation.Horizontal });
                start += share;
            }
            var apart = new[] { (entries[i].Pruned, "pruned"), (entries[i].StoppedTime, "stopped by time") }.Where(p => p.Item1 > 0).Select(p => $"{p.Item1} {p.Item2}").ToList();
            var label = plot.Add.Text($"{ReportFormat.Number(start, "0")} % of {entries[i].Judged}" + (apart.Count > 0 ? $" (+{string.Join(", ", apart)})" : ""), start + 1.5, i);
            label.LabelFontSize = 13;
            label.LabelAlignment = Alignment.MiddleLeft;
            label.LabelFontColor = Color.FromHex("#344054");
        }
        if (bars.Count > 0) plot.Add.Bars(bars);
        foreach (var part in parts)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = part.Name, FillColor = Color.FromHex(part.Hex) });
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, entries.Count).Select(i => (double)i).ToArray(),
            entries.Select(e => multipleCells ? $"{e.Cell} {e.Family}" : e.Family).ToArray());
        plot.Axes.SetLimits(0, 115, -0.6, Math.Max(0.6, entries.Count - 0.4));
        plot.Title(multipleCells ? "Trainability per cell and family" : $"Trainability per family ({entries.FirstOrDefault()?.Cell})");
        plot.XLabel("share of judged trials (%)");
        plot.ShowLegend(Edge.Bottom);
        return Figure(plot, "fig-trainability", "trainability.png",
            "Share of the judged trials per family (those that ran their course: ok, diverged, failed) that diverged, failed or never beat the trivial model " +
            "(the tuning draws when the study tunes, else the final trials); the label gives the total share, the number of judged trials, and in brackets " +
            "the trials not judged: tuning draws pruned by ASHA and trials stopped by the time limit.");
    }

    /// <summary>A sans-serif family that is installed (ScottPlot's own default can land on a serif face on Linux).</summary>
    private static readonly string? SansSerif = new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica" }
        .FirstOrDefault(f => SkiaSharp.SKFontManager.Default.FontFamilies.Contains(f, StringComparer.OrdinalIgnoreCase));

    private static Plot NewPlot()
    {
        var plot = new Plot();
        if (SansSerif is { } font) plot.Font.Set(font);
        plot.Axes.Title.Label.FontSize = 18;
        plot.Axes.Left.Label.FontSize = 15;
        plot.Axes.Bottom.Label.FontSize = 15;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Legend.FontSize = 13;
        return plot;
    }

    private static FigureBlock Figure(Plot plot, string id, string fileName, string caption) =>
        new(id, fileName, caption, plot.GetImageBytes(Width, Height, ImageFormat.Png));
}
