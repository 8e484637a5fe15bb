using RnnSearch.Coordinator.Leaderboard;

namespace RnnSearch.Coordinator.Report;

/// <summary>
/// The section that answers the practitioner's intuitions (stacking learns richer memory; an input MLP extracts
/// features; an output MLP predicts better) and the in-cell variants (deep transition, readout, gates), written from
/// this study's verdicts only: every sentence is generated from the numbers, with the uncertainty (CI, p after Holm,
/// paired seeds, budget) beside it. A family the study lacks is said to be untested, never guessed.
/// </summary>
public static class PractitionerAnswers
{
    public sealed record Question(string Id, string Title, string Claim, IReadOnlyList<string> Families, string Mechanism);

    public static readonly IReadOnlyList<Question> Intuitions =
    [
        new("q-stacking", "Stacking recurrent layers learns richer memory", "stacking", ["stack"],
            "A stack adds feed-forward depth between input and output at every step (d_f), not recurrent depth (d_r stays 1 per layer)."),
        new("q-input-mlp", "An MLP on the input extracts better features", "an input MLP", ["deep-input"],
            "An input MLP adds feed-forward depth before the recurrence; it adds no memory and no non-linearity between time steps."),
        new("q-output-mlp", "An MLP on the output predicts better", "an output MLP", ["deep-output"],
            "An output MLP adds feed-forward depth after the recurrence; it adds no memory and no non-linearity between time steps."),
    ];

    public static readonly IReadOnlyList<Question> InCell =
    [
        new("q-transition", "Depth in the transition (between h(t−1) and h(t))", "a deep transition", ["deep-transition", "deep-transition-shortcut", "micro-steps", "highway"],
            "The only placement that adds non-linearity between time steps (d_r > 1); without a shortcut or gate the shortest path through time gets longer."),
        new("q-readout", "Depth in the readout (an MLP reading the LSTM memory)", "a deep readout", ["deep-readout"],
            "The memory c(t) keeps its linear self-loop; only what the cell exposes as h(t) passes through an MLP."),
        new("q-gates", "Depth in the gates (an MLP per gate)", "deep gates", ["deep-gates"],
            "Each gate's pre-activation becomes a small MLP of [h(t−1), x(t)]; the carry path is unchanged."),
    ];

    public static IReadOnlyList<ReportBlock> Build(ReportData data)
    {
        var blocks = new List<ReportBlock>
        {
            new Heading(2, "What this study says about the practitioner's intuitions", "answers"),
            new Paragraph("Every statement in this section is generated from this study's verdicts (candidate − baseline on the test metric, paired over seeds, " +
                          $"two-sided t-test, Holm's correction across the families compared against the same baseline, α = {LeaderboardBuilder.Alpha}; every final seed counts, " +
                          "a diverged or failed one at its defined value). " +
                          "\"No detectable difference\" means the study could not tell the two apart at its size; it is not evidence that they are equal: the minimum " +
                          $"detectable effect (MDE, {ReportFormat.Percent(Statistics.Power)} power) beside it says how large a difference could hide."),
        };
        foreach (var question in Intuitions) blocks.AddRange(Answer(data, question, 3));
        blocks.Add(new Heading(3, "Depth inside the cell", "in-cell"));
        foreach (var question in InCell) blocks.AddRange(Answer(data, question, 4));
        if (data.Families.Contains("combined"))
            blocks.AddRange(Answer(data, new Question("q-combined", "Several placements at once", "combining placements", ["combined"], "Combined specs add depth in more than one place."), 3));
        blocks.AddRange(Strength(data));
        return blocks;
    }

    private static IEnumerable<ReportBlock> Answer(ReportData data, Question question, int level)
    {
        yield return new Heading(level, question.Title, question.Id);
        var lines = new List<string>();
        var summaries = new List<string>();
        foreach (var family in question.Families)
        {
            var present = data.Trials.Any(t => t.Family == family);
            var verdicts = data.Leaderboard.Verdicts.Where(v => v.Family == family).ToList();
            var pooled = data.Leaderboard.PooledVerdicts.Where(v => v.Family == family).ToList();
            var unmatched = data.Leaderboard.NotSizeMatched.Where(v => v.Family == family).ToList();
            if (!present)
            {
                if (question.Families.Count == 1)
                {
                    yield return new Paragraph($"**Not tested: this study has no `{family}` candidates**, so it says nothing about whether {question.Claim} helps. " +
                                               $"Add \"{family}\" to `placements` in the study file to test it.");
                    yield break;
                }
                summaries.Add($"`{family}`: not in this study");
                continue;
            }
            if (verdicts.Count == 0)
            {
                summaries.Add(unmatched.Count > 0
                    ? $"`{family}`: no verdict (not size-matched: its sizes are fixed by the specs, so a difference could come from the size)"
                    : $"`{family}`: no verdict (no baseline of the same task, cell and budget to compare with)");
                lines.AddRange(unmatched.Select(v => UnmatchedLine(data, v, question.Families.Count > 1)));
                continue;
            }
            summaries.Add($"`{family}`: {Summary(verdicts)}");
            lines.AddRange(verdicts.Select(v => Line(data, v, question.Families.Count > 1)));
            lines.AddRange(pooled.Select(v => PooledLine(v, question.Families.Count > 1)));
            lines.AddRange(unmatched.Select(v => UnmatchedLine(data, v, question.Families.Count > 1)));
            if (Trainability(data, family) is { } note) lines.Add(note);
        }
        if (question.Families.Count == 1 && summaries.Count == 1)
            yield return new Paragraph($"**Verdict from this study on {question.Claim}: {summaries[0][(summaries[0].IndexOf(':') + 2)..]}.** {question.Mechanism}");
        else
            yield return new Paragraph($"**Verdict from this study on {question.Claim}:** {string.Join("; ", summaries)}. {question.Mechanism}");
        if (question.Id == "q-stacking") yield return new Paragraph(MemoryNote(data));
        if (lines.Count > 0) yield return new BulletList(lines);
    }

    /// <summary>One word for a set of verdicts of one family, counted over its comparisons.</summary>
    public static string Summary(IReadOnlyList<Verdict> verdicts)
    {
        var decided = verdicts.Where(v => v.Outcome != "insufficient data").ToList();
        if (decided.Count == 0) return "undecided (fewer than two paired seeds in every comparison)";
        var better = decided.Count(v => v.Outcome == "better");
        var worse = decided.Count(v => v.Outcome == "worse");
        var none = decided.Count - better - worse;
        var of = decided.Count == 1 ? "the one comparison" : $"{decided.Count} comparisons";
        var undecided = verdicts.Count > decided.Count ? $" ({verdicts.Count - decided.Count} more without enough paired seeds)" : "";
        return (better, worse, none) switch
        {
            (> 0, 0, 0) => $"supported: better than the baseline in {(decided.Count == 1 ? of : $"all {of}")}",
            (> 0, 0, _) => $"partly supported: better than the baseline in {better} of {decided.Count} comparisons, no detectable difference in the others",
            (0, > 0, 0) => $"contradicted: worse than the baseline in {(decided.Count == 1 ? of : $"all {of}")}",
            (0, > 0, _) => $"not supported: worse than the baseline in {worse} of {decided.Count} comparisons, no detectable difference in the others",
            (> 0, > 0, _) => $"mixed: better than the baseline in {better}, worse in {worse} of {decided.Count} comparisons",
            _ => $"not supported at this sample size: no detectable difference from the baseline in {of}{Leaning(decided)}",
        } + undecided;
    }

    /// <summary>Differences below half the last printed digit count as zero.</summary>
    private const double Negligible = 5e-5;

    private static string Estimate(double mean) =>
        Math.Abs(mean) < Negligible ? "The point estimate is zero to four decimals" : $"The point estimate favours {(mean < 0 ? "the deeper model" : "the baseline")}";

    /// <summary>Which way the point estimates lean when nothing is significant.</summary>
    private static string Leaning(IReadOnlyList<Verdict> verdicts)
    {
        var worse = verdicts.Count(v => v.DeltaMean > Negligible);
        var better = verdicts.Count(v => v.DeltaMean < -Negligible);
        return worse == verdicts.Count ? " (the point estimate" + (verdicts.Count > 1 ? "s favour" : " favours") + " the baseline)"
            : better == verdicts.Count ? " (the point estimate" + (verdicts.Count > 1 ? "s favour" : " favours") + " the deeper model)"
            : "";
    }

    private static string Line(ReportData data, Verdict v, bool nameFamily)
    {
        var metric = data.MetricName(v.Task);
        var budget = v.Budget is { } b ? $" at {ReportFormat.Count(b)} parameters" : "";
        var family = nameFamily ? $"`{v.Family}` " : "";
        var comparisons = data.Leaderboard.Verdicts.Count(o => o.Task == v.Task && o.Cell == v.Cell && o.Budget == v.Budget && o.PValue is not null);
        var text = $"{family}`{v.Task}`, {v.Cell}{budget}, depth {v.Depth}: Δ test {metric} = {ReportFormat.Signed(v.DeltaMean)} " +
                   $"(95 % CI {ReportFormat.Interval(v.DeltaCi95)}) over {v.Pairs} paired seed{(v.Pairs == 1 ? "" : "s")}, " +
                   $"{ReportFormat.PIs("p", v.PValue)}, {ReportFormat.PIs("Holm-adjusted p", v.PHolm)} ({comparisons} comparison{(comparisons == 1 ? "" : "s")} against this baseline) → **{v.Outcome}**.";
        if (v.RelativeDelta is { } relative)
            text += $" Relative to the baseline: {ReportFormat.SignedPercent(relative)}" +
                    (v.RelativeCi95 is not null ? $" (bootstrap 95 % CI {ReportFormat.PercentInterval(v.RelativeCi95)})" : "") + ".";
        if (v.Pairs > 0 && (v.CandidateSurvivors < v.Pairs || v.BaselineSurvivors < v.Pairs))
            text += $" Seeds that ended ok: {v.CandidateSurvivors} of {v.Pairs} for the candidate, {v.BaselineSurvivors} of {v.Pairs} for the baseline (the others count at their defined value).";
        if (v.StoppedTimeSeeds > 0)
            text += $" {v.StoppedTimeSeeds} seed{(v.StoppedTimeSeeds == 1 ? " was" : "s were")} stopped by the time limit and left out of this comparison.";
        if (v.Outcome == LeaderboardBuilder.NoDifference && v.DeltaCi95 is [var low, var high] && v.DeltaMean is { } mean)
            text += " " + (low > 0
                ? $"The interval lies entirely on the side of a loss ({ReportFormat.Metric(low)} to {ReportFormat.Metric(high)}), but not after Holm's correction for the other comparisons: a hint that the baseline is better, not a finding."
                : high < 0
                    ? $"The interval lies entirely on the side of a gain ({ReportFormat.Metric(-high)} to {ReportFormat.Metric(-low)}), but not after Holm's correction for the other comparisons: a hint that the deeper model is better, not a finding."
                    : $"{Estimate(mean)}; the interval runs from a gain of {ReportFormat.Metric(-low)} to a loss of {ReportFormat.Metric(high)}.");
        if (v.Outcome == LeaderboardBuilder.NoDifference && v.Mde is { } mde)
            text += $" With this spread and {v.Pairs} pairs, a true difference of {ReportFormat.Mde(mde, v.MdeRelative)} would be detected with {ReportFormat.Percent(Statistics.Power)} power " +
                    "(before Holm's correction); smaller ones could hide here.";
        return text;
    }

    private static string PooledLine(PooledVerdict v, bool nameFamily)
    {
        var budget = v.Budget is { } b ? $" at {ReportFormat.Count(b)} parameters" : "";
        var family = nameFamily ? $"`{v.Family}` " : "";
        var text = $"{family}pooled over the {v.Tasks} {v.MetricName} tasks ({string.Join(", ", v.TaskRelativeDeltas.Select(t => $"`{t.Key}` {ReportFormat.SignedPercent(t.Value)}"))}), " +
                   $"{v.Cell}{budget}, depth {v.Depth}: mean relative Δ {ReportFormat.SignedPercent(v.RelativeDelta)}, exact Wilcoxon signed-rank test over the tasks " +
                   $"{ReportFormat.PIs("p", v.PValue)}, {ReportFormat.PIs("Holm-adjusted p", v.PHolm)} → **{v.Outcome}**.";
        if (v.MinimumP > LeaderboardBuilder.Alpha)
            text += $" With {v.Tasks} tasks the smallest p this test can give is {ReportFormat.P(v.MinimumP)}, so it cannot reach α = {LeaderboardBuilder.Alpha} whatever the data.";
        return text;
    }

    private static string UnmatchedLine(ReportData data, Verdict v, bool nameFamily)
    {
        var family = nameFamily ? $"`{v.Family}` " : "";
        return $"{family}`{v.Task}`, {v.Cell}, `{v.Candidate}` ({ReportFormat.Count(v.Params)} parameters) against `{v.Baseline}` ({ReportFormat.Count(v.BaselineParams)}): " +
               $"Δ test {data.MetricName(v.Task)} = {ReportFormat.Signed(v.DeltaMean)} (95 % CI {ReportFormat.Interval(v.DeltaCi95)}, {ReportFormat.SignedPercent(v.RelativeDelta)}) " +
               $"over {v.Pairs} paired seed{(v.Pairs == 1 ? "" : "s")}; **not size-matched**, so no verdict.";
    }

    private static string? Trainability(ReportData data, string family)
    {
        var rows = data.Leaderboard.Trainability.Where(t => t.Family == family && (t.UntrainableShare > 0 || t.Pruned > 0 || t.StoppedTime > 0)).ToList();
        if (rows.Count == 0) return null;
        return "Trainability: " + string.Join("; ", rows.Select(t =>
        {
            var parts = new[] { (t.Diverged, "diverged"), (t.Failed, "failed"), (t.NeverBeatTrivial, "never beat the trivial model") }.Where(p => p.Item1 > 0).Select(p => $"{p.Item1} {p.Item2}").ToList();
            var apart = new[] { (t.Pruned, "pruned by ASHA"), (t.StoppedTime, "stopped by the time limit") }.Where(p => p.Item1 > 0).Select(p => $"{p.Item1} {p.Item2}").ToList();
            return $"of {t.Judged} judged {t.Cell} trials, " + (parts.Count > 0 ? $"{string.Join(", ", parts)} ({ReportFormat.Percent(t.UntrainableShare)} untrainable)" : "none untrainable") +
                   (apart.Count > 0 ? $"; not judged: {string.Join(", ", apart)}" : "");
        })) + ".";
    }

    private static string MemoryNote(ReportData data)
    {
        var memoryTasks = data.Tasks.Where(t => t is "copy" or "adding").ToList();
        var metrics = string.Join(", ", data.Tasks.Select(t => $"{t}: {data.MetricName(t)}"));
        return memoryTasks.Count > 0
            ? $"This study measures prediction error ({metrics}); richer memory would show as a lower error, most directly on the long-lag task(s) {string.Join(", ", memoryTasks.Select(t => $"`{t}`"))}."
            : $"This study measures prediction error ({metrics}), not memory itself: richer memory would show as a lower error, but it has no long-lag probe (copy, adding) that isolates memory.";
    }

    private static IEnumerable<ReportBlock> Strength(ReportData data)
    {
        yield return new Heading(3, "How strong is this evidence", "evidence");
        var definition = data.Definition;
        var seeds = definition?.Seeds.Count ?? data.Leaderboard.Rows.Select(r => r.Seeds).DefaultIfEmpty(0).Max();
        var budgets = data.Leaderboard.Rows.Select(r => r.Budget).Distinct().ToList();
        var budgetText = budgets.All(b => b is null) ? "no parameter budget (sizes fixed by the specs)"
            : $"parameter budget{(budgets.Count > 1 ? "s" : "")} {string.Join(", ", budgets.Where(b => b is not null).Select(b => ReportFormat.Count(b)))} (each candidate within 1 % of it)";
        var tuning = definition is null ? "hyper-parameters: unknown (study file unreadable)"
            : definition.Tuning.Search == Studies.SearchKind.None ? "fixed hyper-parameters, the same for every candidate (no tuning)"
            : $"{definition.Tuning.Search} search with {definition.Tuning.Draws} draws per candidate";
        var epochs = definition is null ? "" : $", at most {definition.MaxEpochs} epochs per trial" +
                                             (definition.Limits.TrialSeconds is { } s ? $" and {ReportFormat.Number(s)} s of training" : "");
        var halfWidths = data.Leaderboard.Verdicts.Where(v => v.DeltaCi95 is not null).Select(v => (v.DeltaCi95![1] - v.DeltaCi95[0]) / 2).ToList();
        var mdes = data.Leaderboard.Verdicts.Where(v => v.MdeRelative is not null).Select(v => v.MdeRelative!.Value).ToList();
        var resolution = halfWidths.Count == 0 ? "No comparison has two paired seeds yet, so no difference can be resolved."
            : $"The half-widths of the 95 % CIs of the differences range from {ReportFormat.Metric(halfWidths.Min())} to {ReportFormat.Metric(halfWidths.Max())}: " +
              "differences smaller than that are beyond this study's resolution." +
              (mdes.Count == 0 ? "" : $" The minimum detectable effects ({ReportFormat.Percent(Statistics.Power)} power, α = {LeaderboardBuilder.Alpha}, before Holm) range from " +
                                      $"{ReportFormat.Number(100 * mdes.Min(), "0.0")} % to {ReportFormat.Number(100 * mdes.Max(), "0.0")} % of the baseline's mean.");
        var comparisons = data.Leaderboard.Verdicts.Count(v => v.PValue is not null);
        yield return new BulletList(
        [
            $"{seeds} seed{(seeds == 1 ? "" : "s")} per candidate, paired by seed with the baseline; {comparisons} family-vs-baseline comparison{(comparisons == 1 ? "" : "s")} with a p-value.",
            $"{budgetText}; {tuning}{epochs}.",
            resolution,
            "A verdict holds for this task, cell, budget and training recipe; other budgets, longer training or tuning can change it (see the published values below for how far these runs are from the literature).",
        ]);
    }
}
