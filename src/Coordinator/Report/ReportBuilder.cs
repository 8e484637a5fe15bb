using RnnSearch.Coordinator.Leaderboard;

namespace RnnSearch.Coordinator.Report;

/// <summary>
/// Composes the report of one study: summary, answers to the practitioner's intuitions, verdicts, leaderboard,
/// figures, trainability, the published values beside ours, and the study file.
/// </summary>
public static class ReportBuilder
{
    public static ReportDocument Build(ReportData data, DateTimeOffset generatedAt)
    {
        var blocks = new List<ReportBlock>();
        blocks.AddRange(Summary(data, generatedAt));
        blocks.AddRange(PractitionerAnswers.Build(data));
        blocks.AddRange(Verdicts(data));
        blocks.AddRange(LeaderboardTables(data));
        blocks.AddRange(Figures(data));
        blocks.AddRange(Literature(data));
        blocks.Add(new Heading(2, "Protocol", "protocol"));
        blocks.Add(new Paragraph("The experimental protocol of this build (docs/protocol.md): budgets, tuning, seeds, selection, statistics and what a verdict means."));
        blocks.Add(new CodeBlock(ProtocolText.Markdown));
        if (data.Study.Definition.Length > 0)
        {
            blocks.Add(new Heading(2, "Study file", "study-file"));
            blocks.Add(new Paragraph("The study file as stored with the results (its SHA-256 is part of the study id)."));
            blocks.Add(new CodeBlock(data.Study.Definition));
        }
        return new ReportDocument($"RnnSearch report: {data.Study.Name} ({data.Study.Id})", blocks);
    }

    private static IEnumerable<ReportBlock> Summary(ReportData data, DateTimeOffset generatedAt)
    {
        var board = data.Leaderboard;
        var d = data.Definition;
        var finished = data.Trials.Where(t => t.State == "done").ToList();
        var statuses = finished.GroupBy(t => t.Status ?? "?").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
        var nodes = data.Trials.Select(t => t.NodeId).Where(n => n is not null).Distinct().Count();
        yield return new Heading(2, "Study summary", "summary");
        if (data.Study.Description.Length > 0) yield return new Paragraph(data.Study.Description);
        if (!board.Study.Complete)
            yield return new Paragraph($"**This study is not complete: {board.Study.Done} of {board.Study.Trials} trials are recorded.** Every number below covers the recorded trials only.");
        var rows = new List<IReadOnlyList<string>>
        {
            new[] { "study id", $"`{data.Study.Id}`" },
            new[] { "tasks", string.Join(", ", data.Tasks.Select(t => $"{t} (test {data.MetricName(t)}, lower is better)")) },
            new[] { "cells", string.Join(", ", board.Rows.Select(r => r.Cell).Distinct()) },
            new[] { "families", string.Join(", ", FamilyColors.Ordered(board.Rows.Select(r => r.Family))) },
            new[] { "candidates", board.Rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            new[] { "budgets (parameters)", string.Join(", ", board.Rows.Select(r => r.Budget).Distinct().Select(b => b is null ? "fixed by spec" : ReportFormat.Count(b))) },
            new[] { "seeds", d is null ? "–" : string.Join(", ", d.Seeds) },
            new[] { "training", d is null ? "–" : string.Join("; ", d.Tasks.Select(task => $"{task}: {TrainingText(d.TrainingFor(task))}")) +
                                                 (d.Limits.TrialSeconds is { } s ? $"; at most {ReportFormat.Number(s)} s per trial" : "") },
            new[] { "tuning", d is null ? "–" : d.Tuning.Search == Studies.SearchKind.None ? "none (fixed hyper-parameters)" : $"{d.Tuning.Search}, {d.Tuning.Draws} draws per candidate{(d.Fidelity.Asha ? ", ASHA" : "")}" },
            new[] { "trials", $"{board.Study.Done} of {board.Study.Trials} recorded ({string.Join(", ", statuses)})" },
            new[] { "training time", $"{ReportFormat.Seconds(finished.Sum(t => t.TrainSeconds ?? 0))} in total on {nodes} trainer slot{(nodes == 1 ? "" : "s")}" },
            new[] { "created / completed", $"{data.Study.Created:yyyy-MM-dd HH:mm} UTC / {(data.Study.Completed is { } c ? $"{c:yyyy-MM-dd HH:mm} UTC" : "not complete")}" },
            new[] { "store", $"`{data.StorePath}`" },
            new[] { "report generated", $"{generatedAt:yyyy-MM-dd HH:mm} UTC" },
        };
        yield return new TableBlock("summary-table", ["what", "value"], rows, []);
        foreach (var task in data.Tasks)
        {
            var ranked = board.Rows.Where(r => r.Task == task && r.TestMean is not null).OrderBy(r => r.Rank).ToList();
            var baseline = ranked.FirstOrDefault(r => r.Family == "baseline");
            if (ranked.Count == 0) continue;
            var best = ranked[0];
            var verdict = board.Verdicts.FirstOrDefault(v => v.Task == task && v.Candidate == best.Spec);
            yield return new Paragraph($"On `{task}` the lowest mean test {data.MetricName(task)} is **{best.Family}** (`{best.Spec}`): {ReportFormat.Metric(best.TestMean)} " +
                                       $"(95 % CI {ReportFormat.PlainInterval(best.TestCi95)}, {best.Seeds} seeds, {best.Survivors} ok)" +
                                       (baseline is null || baseline == best ? "." : $", against the baseline's {ReportFormat.Metric(baseline.TestMean)} ({ReportFormat.PlainInterval(baseline.TestCi95)})") +
                                       (verdict is null ? "" : $"; its verdict against the baseline: **{verdict.Outcome}** ({ReportFormat.PIs("Holm-adjusted p", verdict.PHolm)}).") +
                                       (baseline == best ? " No deeper model beat the baseline's mean." : ""));
        }
    }

    private static IEnumerable<ReportBlock> Verdicts(ReportData data)
    {
        var board = data.Leaderboard;
        yield return new Heading(2, "Verdict per family", "verdicts");
        yield return new Paragraph($"Δ = candidate − baseline of the same task, cell and budget, on the test metric, paired by seed (negative: the deeper model is better). " +
                                   "Every final seed counts: diverged seeds at their best epoch's test metric (else the trivial model's), failed seeds at the trivial model's; " +
                                   "seeds stopped by the time limit are left out and the verdict says so. ok: surviving seeds of the candidate / of the baseline among the pairs. " +
                                   $"p: two-sided paired t-test; Holm: corrected over the families compared against the same baseline; verdict at α = {LeaderboardBuilder.Alpha}. " +
                                   "95 % CI: t-based interval of the mean difference. Δ / baseline: the mean difference relative to the baseline's mean, with a paired bootstrap (expanded percentile) " +
                                   $"95 % interval ({Bootstrap.Resamples:N0} resamples of the seeds, fixed random seed). MDE: the smallest true difference the t-test would detect " +
                                   $"with {ReportFormat.Percent(Statistics.Power)} power at α = {LeaderboardBuilder.Alpha} given the observed spread of the differences; " +
                                   "a \"no detectable difference\" leaves differences up to about that size undecided.");
        if (board.Verdicts.Count == 0 && board.NotSizeMatched.Count == 0)
        {
            yield return new Paragraph("No verdict: the study has no baseline candidate to compare with, or no family besides it.");
            yield break;
        }
        if (board.Verdicts.Count > 0) yield return VerdictTable("verdict-table", board.Verdicts, data);
        if (board.PooledVerdicts.Count > 0)
        {
            yield return new Paragraph("Pooled over tasks that share a metric (each family against each task's own baseline): one value per task, its Δ / baseline, " +
                                       "tested with the exact Wilcoxon signed-rank test across tasks and Holm-corrected over the families pooled for the same metric, cell and budget. " +
                                       "With few tasks this test has little power: its smallest possible p is 2 / 2^tasks (0.125 with four tasks), so below six tasks it cannot reach " +
                                       $"α = {LeaderboardBuilder.Alpha} and the verdict is \"{LeaderboardBuilder.TooFewTasks}\".");
            yield return PooledTable(board.PooledVerdicts);
        }
        if (board.NotSizeMatched.Count > 0)
        {
            yield return new Paragraph("Not size-matched: candidates whose sizes are fixed by their specs (no parameter budget) differ from the baseline in size as well as " +
                                       "in placement, so their differences are listed without a verdict.");
            yield return NotSizeMatchedTable(board.NotSizeMatched, data);
        }
    }

    private static string Int(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Lost(int seeds) => seeds > 0 ? $" ({seeds} seed{(seeds == 1 ? "" : "s")} stopped by the time limit left out)" : "";

    private static TableBlock VerdictTable(string id, IReadOnlyList<Verdict> verdicts, ReportData data) => new(id,
        ["family", "task", "cell", "budget", "depth", "candidate", "pairs", "ok (cand / base)", "Δ mean", "Δ 95 % CI", "Δ / baseline", "Δ / baseline 95 % CI (bootstrap)", "MDE (80 % power)", "p", "p (Holm)", "verdict"],
        FamilyColors.Ordered(verdicts.Select(v => v.Family)).SelectMany(f => verdicts.Where(v => v.Family == f)).Select(v => (IReadOnlyList<string>)
        [
            v.Family, $"{v.Task} ({data.MetricName(v.Task)})", v.Cell, ReportFormat.Count(v.Budget), Int(v.Depth),
            $"`{v.Candidate}`", Int(v.Pairs), $"{v.CandidateSurvivors} / {v.BaselineSurvivors}", ReportFormat.Signed(v.DeltaMean), ReportFormat.Interval(v.DeltaCi95),
            ReportFormat.SignedPercent(v.RelativeDelta), ReportFormat.PercentInterval(v.RelativeCi95), ReportFormat.Mde(v.Mde, v.MdeRelative),
            ReportFormat.P(v.PValue), ReportFormat.P(v.PHolm), $"**{v.Outcome}**{Lost(v.StoppedTimeSeeds)}",
        ]).ToList(), [3, 4, 6, 7, 8, 10, 12, 13, 14]);

    private static TableBlock PooledTable(IReadOnlyList<PooledVerdict> verdicts) => new("pooled-verdict-table",
        ["family", "metric", "cell", "budget", "depth", "tasks", "pairs", "Δ / baseline (mean over tasks)", "per task", "p (signed-rank)", "smallest possible p", "p (Holm)", "verdict"],
        FamilyColors.Ordered(verdicts.Select(v => v.Family)).SelectMany(f => verdicts.Where(v => v.Family == f)).Select(v => (IReadOnlyList<string>)
        [
            v.Family, v.MetricName, v.Cell, ReportFormat.Count(v.Budget), Int(v.Depth), Int(v.Tasks), Int(v.Pairs), ReportFormat.SignedPercent(v.RelativeDelta),
            string.Join(", ", v.TaskRelativeDeltas.Select(t => $"{t.Key} {ReportFormat.SignedPercent(t.Value)}")), ReportFormat.P(v.PValue), ReportFormat.P(v.MinimumP),
            ReportFormat.P(v.PHolm), $"**{v.Outcome}**{Lost(v.StoppedTimeSeeds)}",
        ]).ToList(), [3, 4, 5, 6, 7, 9, 10, 11]);

    private static TableBlock NotSizeMatchedTable(IReadOnlyList<Verdict> listed, ReportData data) => new("not-size-matched-table",
        ["family", "task", "cell", "candidate", "params", "baseline", "baseline params", "pairs", "Δ mean", "Δ 95 % CI", "Δ / baseline", "Δ / baseline 95 % CI (bootstrap)"],
        FamilyColors.Ordered(listed.Select(v => v.Family)).SelectMany(f => listed.Where(v => v.Family == f)).Select(v => (IReadOnlyList<string>)
        [
            v.Family, $"{v.Task} ({data.MetricName(v.Task)})", v.Cell, $"`{v.Candidate}`", ReportFormat.Count(v.Params), $"`{v.Baseline}`", ReportFormat.Count(v.BaselineParams),
            Int(v.Pairs), ReportFormat.Signed(v.DeltaMean), ReportFormat.Interval(v.DeltaCi95), ReportFormat.SignedPercent(v.RelativeDelta), ReportFormat.PercentInterval(v.RelativeCi95),
        ]).ToList(), [4, 6, 7, 8, 10]);

    private static IEnumerable<ReportBlock> LeaderboardTables(ReportData data)
    {
        yield return new Heading(2, "Leaderboard", "leaderboard");
        yield return new Paragraph("Per task, candidates ranked by mean test metric over seeds (lower is better), with the t-based 95 % CI of the mean. " +
                                   "Every final seed counts (diverged at its best epoch's test metric, else the trivial model's; failed at the trivial model's); " +
                                   "ok / seeds: the seeds that ended ok of those in the mean; seeds stopped by the time limit are left out and counted. Valid: mean over the ok seeds. " +
                                   "d_r / d_f: recurrent and feed-forward depth (Zhang et al. 2016) of the architecture's graph.");
        foreach (var task in data.Tasks)
        {
            var trivial = data.Leaderboard.Tasks.First(t => t.Task == task).TrivialValidMetric;
            yield return new Heading(3, $"{task}: test {data.MetricName(task)}", $"leaderboard-{task}");
            if (trivial is { } tv) yield return new Paragraph($"The trivial model (ignores its input) scores {ReportFormat.Metric(tv)} on validation.");
            yield return new TableBlock($"leaderboard-table-{task}",
                ["#", "candidate", "family", "params", "d_r / d_f", "ok / seeds", $"test {data.MetricName(task)}", "95 % CI", "valid", "epochs", "s / trial", "status"],
                data.Leaderboard.Rows.Where(r => r.Task == task).OrderBy(r => r.Rank).Select(r => (IReadOnlyList<string>)
                [
                    r.Rank.ToString(System.Globalization.CultureInfo.InvariantCulture), $"`{r.Spec}`", r.Family, ReportFormat.Count(r.Params),
                    $"{ReportFormat.Number(r.RecurrentDepth)} / {ReportFormat.Number(r.FeedForwardDepth)}", ReportFormat.Survivors(r),
                    ReportFormat.Metric(r.TestMean), ReportFormat.PlainInterval(r.TestCi95), ReportFormat.Metric(r.ValidMean),
                    r.EpochsMean is { } e ? ReportFormat.Number(e, "0.0") : "–", r.TrainSecondsMean is { } s ? ReportFormat.Number(s, "0") : "–",
                    string.Join(", ", r.Status.Select(kv => $"{kv.Key} {kv.Value}")),
                ]).ToList(), [0, 3, 5, 6, 8, 9, 10]);
        }
    }

    private static IEnumerable<ReportBlock> Figures(ReportData data)
    {
        yield return new Heading(2, "Figures", "figures");
        foreach (var task in data.Tasks)
        {
            yield return new Heading(3, $"{task}: metric against parameters", $"figure-metric-params-{task}");
            yield return ReportFigures.MetricVsParams(data, task);
            yield return new Heading(3, $"{task}: learning curves", $"figure-curves-{task}");
            yield return ReportFigures.LearningCurves(data, task);
        }
        yield return new Heading(3, "Trainability per family", "trainability");
        if (data.Leaderboard.Trainability.Count == 0)
        {
            yield return new Paragraph("No trial has finished yet.");
            yield break;
        }
        yield return ReportFigures.Trainability(data);
        yield return new Paragraph("Judged: the trials that ran their course (ok, diverged, failed); the share is of those. Tuning draws that ASHA pruned were stopped " +
                                   "for being worse than their rivals at a rung, not for being untrainable, and trials stopped by the time limit did not finish: both are counted apart.");
        yield return new TableBlock("trainability-table", ["cell", "family", "trials", "judged", "diverged", "failed", "never beat trivial", "pruned (ASHA)", "stopped by time", "share of judged"],
            data.Leaderboard.Trainability.Select(t => (IReadOnlyList<string>)
            [
                t.Cell, t.Family, Int(t.Trials), Int(t.Judged), Int(t.Diverged), Int(t.Failed), Int(t.NeverBeatTrivial), Int(t.Pruned), Int(t.StoppedTime),
                t.Judged > 0 ? ReportFormat.Percent(t.UntrainableShare) : "–",
            ]).ToList(), [2, 3, 4, 5, 6, 7, 8, 9]);
    }

    private static IEnumerable<ReportBlock> Literature(ReportData data)
    {
        yield return new Heading(2, "Published values beside ours", "literature");
        yield return new Paragraph("Published test results on the same tasks, copied from the project's literature notes (docs/reference/literature.md) with their verification tags, " +
                                   "beside this study's closest analogue (same cell and family; the best of ours when several qualify). Published models differ in size, " +
                                   "training length and tuning from the runs here, so the gap says how far this study's recipe is from the literature, not which placement is better. " +
                                   "Pascanu et al.'s model sizes are themselves reconstructed [R].");
        yield return new BulletList(PublishedResults.TagMeanings.Select(t => $"**[{t.Key}]** {t.Value}.").ToList());
        foreach (var task in data.Tasks)
        {
            var published = PublishedResults.For(task);
            yield return new Heading(3, $"{task}: published test {data.MetricName(task)}", $"literature-{task}");
            if (published.Count == 0)
            {
                yield return new Paragraph($"The literature notes hold no published value for `{task}`.");
                continue;
            }
            yield return new TableBlock($"literature-table-{task}", ["published model", "params", "published", "tag", "source", "ours (same cell and family)", "ours: test mean (95 % CI)", "ours − published"],
                published.Select(p =>
                {
                    var ours = data.Leaderboard.Rows.Where(r => r.Task == task && r.TestMean is not null && p.Family is not null && r.Family == p.Family && (p.Cell is null || r.Cell == p.Cell))
                        .OrderBy(r => r.TestMean).FirstOrDefault();
                    return (IReadOnlyList<string>)
                    [
                        p.Model + (p.Note.Length > 0 ? $" ({p.Note})" : ""), p.Size, ReportFormat.Number(p.Value, "0.00##"), $"[{p.Tag}]", p.Source,
                        p.Family is null ? "no analogue" : ours is null ? $"not in this study ({p.Cell ?? "any cell"} {p.Family})" : $"`{ours.Spec}` ({ReportFormat.Count(ours.Params)})",
                        ours is null ? "–" : $"{ReportFormat.Metric(ours.TestMean)} {ReportFormat.PlainInterval(ours.TestCi95)}",
                        ours is null ? "–" : ReportFormat.Signed(ours.TestMean - p.Value),
                    ];
                }).ToList(), [2, 7]);
        }
    }

    private static string TrainingText(Studies.ResolvedTraining t) =>
        $"lr {ReportFormat.Number(t.LearningRate, "0.#####")}{(t.LrPatience is { } p ? $" (halved after {p} flat epochs)" : "")}, batch {t.BatchSize}, dropout {ReportFormat.Number(t.Dropout, "0.##")}, " +
        $"patience {t.Patience}, at most {t.MaxEpochs} epochs" + (t.MaxBatchesPerEpoch is { } m ? $", {m} batches per epoch" : "");
}
