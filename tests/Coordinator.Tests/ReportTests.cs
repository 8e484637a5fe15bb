using System.Text.RegularExpressions;
using RnnSearch.Coordinator.Report;
using RnnSearch.Coordinator.Store;

namespace RnnSearch.Coordinator.Tests;

public sealed partial class ReportTests : IDisposable
{
    private readonly string _directory = SyntheticStudy.TemporaryDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private (string Markdown, string Html, string Out) Write(string? toml = null, IReadOnlyDictionary<string, double>? effect = null, bool complete = true)
    {
        var db = Path.Combine(_directory, "store.db");
        SyntheticStudy.Create(db, toml ?? SyntheticStudy.Toml, effect, complete);
        var output = Path.Combine(_directory, "report");
        var exit = Cli.CommandLine.Run(["report", "--db", db, "--out", output]);
        Assert.Equal(0, exit);
        return (File.ReadAllText(Path.Combine(output, "report.md")), File.ReadAllText(Path.Combine(output, "report.html")), output);
    }

    [Fact]
    public void Report_has_every_section_table_and_figure()
    {
        var (markdown, html, output) = Write();
        foreach (var id in new[] { "summary", "answers", "q-stacking", "q-input-mlp", "q-output-mlp", "in-cell", "q-transition", "q-readout", "q-gates", "evidence",
                     "verdicts", "leaderboard", "figures", "trainability", "literature", "protocol", "study-file" })
            Assert.Contains($"id=\"{id}\"", html);
        foreach (var table in new[] { "summary-table", "verdict-table", "leaderboard-table-jsb", "trainability-table", "literature-table-jsb" })
            Assert.Contains($"<table id=\"{table}\"", html);
        foreach (var figure in new[] { "fig-metric-params-jsb", "fig-curves-jsb", "fig-trainability" })
            Assert.Contains($"<figure id=\"{figure}\"", html);

        // Markdown: the same sections, and figures that exist as real PNGs beside it.
        foreach (var heading in new[] { "## Study summary", "## What this study says about the practitioner's intuitions", "## Verdict per family", "## Leaderboard",
                     "## Figures", "## Published values beside ours", "## Protocol", "## Study file" })
            Assert.Contains(heading, markdown);
        Assert.Contains("## Budgets are work, never time", markdown); // the protocol travels with every report
        var figures = FigureLink().Matches(markdown).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3, figures.Count);
        foreach (var figure in figures)
        {
            var bytes = File.ReadAllBytes(Path.Combine(output, figure));
            Assert.True(bytes.Length > 10_000, $"{figure} is only {bytes.Length} bytes");
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        }
        // Leaderboard rows: one per candidate.
        Assert.Equal(4, Regex.Matches(markdown, @"^\| \d \| `LSTM:", RegexOptions.Multiline).Count);
    }

    [Fact]
    public void Html_is_self_contained()
    {
        var (_, html, _) = Write();
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        var sources = SourceAttribute().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3, sources.Count);
        Assert.All(sources, s => Assert.StartsWith("data:image/png;base64,", s));
        Assert.All(sources, s => Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, Convert.FromBase64String(s["data:image/png;base64,".Length..])[..4]));
        Assert.DoesNotContain("url(", html);
    }

    [Fact]
    public void Answers_follow_the_verdicts_and_say_what_was_not_tested()
    {
        var (markdown, _, _) = Write();
        Assert.Contains("**Verdict from this study on stacking: supported: better than the baseline in the one comparison.**", markdown);
        Assert.Contains("**Verdict from this study on an output MLP: contradicted: worse than the baseline in the one comparison.**", markdown);
        Assert.Contains("**Verdict from this study on deep gates: not supported at this sample size: no detectable difference from the baseline in the one comparison", markdown);
        Assert.Contains("**Not tested: this study has no `deep-input` candidates**", markdown);
        Assert.Contains("**Not tested: this study has no `deep-readout` candidates**", markdown);
        Assert.Contains("`deep-transition`: not in this study", markdown);
        // The uncertainty is stated with the numbers of the verdict table.
        var stack = Regex.Match(markdown, @"`jsb`, LSTM at 20,000 parameters, depth 2: Δ test nll = (−0\.\d{4}) \(95 % CI \[(−0\.\d{4}), (−0\.\d{4})\]\) over 5 paired seeds, p < 0\.001, Holm-adjusted p < 0\.001 \(3 comparisons against this baseline\) → \*\*better\*\*");
        Assert.True(stack.Success, "no stacking line with Δ, CI, seeds, p and Holm p in:\n" + string.Join("\n", markdown.Split('\n').Where(l => l.Contains("`jsb`, LSTM", StringComparison.Ordinal))));
        Assert.InRange(double.Parse(stack.Groups[1].Value.Replace('−', '-'), System.Globalization.CultureInfo.InvariantCulture), -0.32, -0.28);
        Assert.Contains("Relative to the baseline: −3.4 % (bootstrap 95 % CI [−3.", markdown);
        // "No detectable difference" says how large a difference could hide.
        Assert.Matches(@"→ \*\*no detectable difference\*\*\..* With this spread and 5 pairs, a true difference of 0\.\d{4} \(\d\.\d %\) would be detected with 80 % power", markdown);
        Assert.Contains("| ok / seeds |", markdown);
        Assert.Contains("| 5/5 |", markdown);
        Assert.Contains("| pruned (ASHA) | stopped by time |", markdown);
        Assert.Contains("5 seeds per candidate", markdown);
        Assert.Contains("parameter budget 20,000", markdown);
    }

    [Fact]
    public void Answers_change_with_the_data()
    {
        // Same study, no effects at all: nothing may be called better or worse.
        var none = new Dictionary<string, double> { ["baseline"] = 0, ["stack"] = 0, ["deep-output"] = 0, ["deep-gates"] = 0 };
        var (markdown, _, _) = Write(effect: none);
        Assert.Contains("**Verdict from this study on stacking: not supported at this sample size", markdown);
        Assert.Contains("**Verdict from this study on an output MLP: not supported at this sample size", markdown);
        Assert.DoesNotContain("→ **better**", markdown);
        Assert.DoesNotContain("→ **worse**", markdown);
    }

    [Fact]
    public void Published_values_stand_beside_ours_with_their_tags()
    {
        var (markdown, _, _) = Write();
        var bai = markdown.Split('\n').Single(l => l.StartsWith("| LSTM | ~300K | 8.45 | [P] | Bai", StringComparison.Ordinal));
        Assert.Matches(@"`LSTM:hidden=\d+` \([\d,]+\) \| 8\.\d{4} \[8\.\d{4}, 8\.\d{4}\] \| [+−]\d\.\d{4} \|$", bai);
        Assert.Contains("| DOT(S)-RNN, 400 + 400 + 400 (8.437 to three decimals [R]) | 745K | 8.44 | [S] |", markdown);
        Assert.Contains("| sRNN, 2 levels of 400 | 550K | 8.367 | [R] |", markdown);
        foreach (var tag in PublishedResults.TagMeanings) Assert.Contains($"**[{tag.Key}]** {tag.Value}", markdown);
    }

    [Fact]
    public void An_incomplete_study_is_reported_as_such()
    {
        var (markdown, _, _) = Write(complete: false);
        Assert.Contains("| created / completed |", markdown);
        Assert.Contains("not complete", markdown);
    }

    [Fact]
    public void Every_published_value_is_for_a_known_task_and_tag()
    {
        Assert.All(PublishedResults.All, r =>
        {
            Assert.True(Shared.Tasks.TaskCatalog.TryGet(r.Task, out _), r.Task);
            Assert.Contains(r.Tag, PublishedResults.TagMeanings.Keys);
            Assert.True(r.Family is null || Shared.Architecture.PlacementFamilyNames.TryParse(r.Family, out _), r.Family);
            Assert.NotEmpty(r.Source);
        });
    }

    [Fact]
    public void Report_refuses_a_missing_store()
    {
        var exit = Cli.CommandLine.Run(["report", "--db", Path.Combine(_directory, "none.db"), "--out", Path.Combine(_directory, "out")]);
        Assert.Equal(2, exit);
        Assert.False(Directory.Exists(Path.Combine(_directory, "out")));
    }

    [Fact]
    public void A_study_without_results_still_gets_a_report_that_says_so()
    {
        var db = Path.Combine(_directory, "fresh.db");
        var definition = Studies.StudyFile.Parse(SyntheticStudy.Toml, "synthetic.toml");
        var candidates = Studies.CandidateGenerator.Expand(definition).Candidates;
        using (var store = StudyStore.Open(db))
            store.CreateStudy(definition, candidates, new Studies.TrialScheduler(definition, candidates, []).CreateInitialTrials());
        var output = Path.Combine(_directory, "fresh-report");
        Assert.Equal(0, Cli.CommandLine.Run(["report", "--db", db, "--out", output]));
        var markdown = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("**This study is not complete: 0 of 20 trials are recorded.**", markdown);
        Assert.Contains("undecided (fewer than two paired seeds in every comparison)", markdown);
        Assert.Contains("No trial has finished yet.", markdown);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(output, "figures"), "*.png").Length);
    }

    [Fact]
    public void Serve_refuses_a_missing_store() =>
        Assert.Equal(2, Cli.CommandLine.Run(["serve", "--db", Path.Combine(_directory, "none.db"), "--http", "127.0.0.1:0"]));

    [GeneratedRegex(@"!\[[^\]]*\]\((figures/[^)]+\.png)\)")]
    private static partial Regex FigureLink();

    [GeneratedRegex("src=\"([^\"]*)\"")]
    private static partial Regex SourceAttribute();
}
