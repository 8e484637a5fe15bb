using RnnSearch.Coordinator.Leaderboard;
using RnnSearch.Coordinator.Studies;
using RnnSearch.Shared.Protocol;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Coordinator.Tests;

public class LeaderboardBuilderTests
{
    private static List<TrialRecord> Finals(long candidate, params double[] tests) =>
        tests.Select((m, i) => new TrialRecord
        {
            Id = candidate * 100 + i, CandidateId = candidate, Phase = TrialPhase.Final, Index = i, Seed = i + 1, State = TrialState.Done,
            Hyper = new HyperParameters(0.003, 0, 0, 16),
            Outcome = new TrialOutcome(double.IsNaN(m) ? "diverged" : "ok", m, m, 10, 8, 1000, 5, "cpu", "n", 11, null),
        }).ToList();

    /// <summary>One final trial with a given status; <paramref name="test"/> null for one without a finite best epoch.</summary>
    private static TrialRecord Final(long candidate, long seed, string status, double? test, double? trivial = 11, TrialPhase phase = TrialPhase.Final, TrialState state = TrialState.Done) => new()
    {
        Id = candidate * 100 + seed, CandidateId = candidate, Phase = phase, Index = (int)seed - 1, Seed = seed, State = state,
        Hyper = new HyperParameters(0.003, 0, 0, 16),
        Outcome = state != TrialState.Done ? null : new TrialOutcome(status, test, test, 10, 8, 1000, 5, "cpu", "n", trivial, status == TrialStatus.Failed ? "boom" : null),
    };

    private static IReadOnlyList<Candidate> Tiny() => CandidateGenerator.Expand(TestStudies.Parse(TestStudies.Tiny)).Candidates; // baseline, stack, deep-output

    [Fact]
    public void Consistent_improvements_are_better_consistent_losses_worse_and_noise_undetected()
    {
        var study = TestStudies.Parse(TestStudies.Tiny.Replace("\"deep-output\"", "\"deep-output\", \"deep-input\""));
        var candidates = CandidateGenerator.Expand(study).Candidates; // baseline, stack, deep-output, deep-input
        var trials = Finals(1, 9.0, 9.2, 9.1, 9.3, 9.0)
            .Concat(Finals(2, 8.5, 8.7, 8.6, 8.8, 8.5))      // stack: 0.5 lower on every seed
            .Concat(Finals(3, 9.6, 9.8, 9.7, 9.9, 9.6))      // deep-output: 0.6 higher on every seed
            .Concat(Finals(4, 9.1, 9.0, 9.2, 9.2, double.NaN)) // deep-input: noise, one diverged seed (no finite best epoch: enters at the trivial 11)
            .ToList();
        var report = LeaderboardBuilder.Build("tiny-x", candidates, trials);

        Assert.Equal(["stack", "baseline", "deep-input", "deep-output"], report.Rows.OrderBy(r => r.Rank).Select(r => r.Family));
        var verdict = report.Verdicts.ToDictionary(v => v.Family);
        Assert.Equal("better", verdict["stack"].Outcome);
        Assert.Equal(-0.5, verdict["stack"].DeltaMean!.Value, 6);
        Assert.Equal("worse", verdict["deep-output"].Outcome);
        Assert.Equal("no detectable difference", verdict["deep-input"].Outcome);
        Assert.Equal(5, verdict["deep-input"].Pairs); // the diverged seed counts
        Assert.Equal(4, verdict["deep-input"].CandidateSurvivors);
        Assert.True(verdict["stack"].PHolm >= verdict["stack"].PValue);
        Assert.Equal(1, report.Rows.Single(r => r.Family == "deep-input").Status["diverged"]);
        Assert.Equal(1, report.Trainability.Single(t => t.Family == "deep-input").Diverged);
        var ci = report.Rows.Single(r => r.Family == "baseline").TestCi95!;
        Assert.True(ci[0] < 9.12 && ci[1] > 9.12);
        // Relative effect of stack: −0.5 / 9.12; its MDE is 0 (no spread in the differences).
        Assert.Equal(-0.5 / 9.12, verdict["stack"].RelativeDelta!.Value, 9);
        Assert.Equal(0, verdict["stack"].Mde);
        Assert.NotNull(verdict["deep-input"].Mde);
    }

    [Fact]
    public void A_diverged_final_seed_enters_at_its_best_epoch_test_metric_else_at_the_trivial_metric()
    {
        var trials = new[]
        {
            Final(1, 1, TrialStatus.Ok, 9.0), Final(1, 2, TrialStatus.Ok, 9.2), Final(1, 3, TrialStatus.Ok, 9.1),
            Final(2, 1, TrialStatus.Ok, 8.9), Final(2, 2, TrialStatus.Diverged, 9.6), Final(2, 3, TrialStatus.Diverged, null, trivial: 10.5),
        };
        var report = LeaderboardBuilder.Build("tiny-x", Tiny(), trials);

        var stack = report.Rows.Single(r => r.Family == "stack");
        Assert.Equal([8.9, 9.6, 10.5], stack.SeedValues.Select(s => s.Value!.Value));
        Assert.All(stack.SeedValues, s => Assert.True(s.Counted));
        Assert.Equal((8.9 + 9.6 + 10.5) / 3, stack.TestMean!.Value, 9);
        Assert.Equal((3, 1), (stack.Seeds, stack.Survivors));
        Assert.Equal("1/3", LeaderboardPrinter.SurvivorsOfSeeds(stack));
        Assert.Equal(8.9, stack.ValidMean!.Value, 9); // validation mean over the surviving seeds only
        var verdict = report.Verdicts.Single(v => v.Family == "stack");
        Assert.Equal((3, 1, 3), (verdict.Pairs, verdict.CandidateSurvivors, verdict.BaselineSurvivors));
        Assert.Equal(((8.9 - 9.0) + (9.6 - 9.2) + (10.5 - 9.1)) / 3, verdict.DeltaMean!.Value, 9);
    }

    [Fact]
    public void A_failed_final_seed_enters_at_the_trivial_metric()
    {
        var jsbCatalog = TaskCatalog.Get("jsb").TrivialMetric; // 88 ln 2, used only when no trial reported the trivial model
        Assert.Equal(88 * Math.Log(2), jsbCatalog, 9);

        // Its own report first; else what another trial of the task reported (trial order), else the catalog.
        var own = LeaderboardBuilder.Build("tiny-x", Tiny(), [Final(1, 1, TrialStatus.Ok, 9.0, trivial: 11.5), Final(2, 1, TrialStatus.Failed, null, trivial: 10.9)]);
        Assert.Equal(10.9, own.Rows.Single(r => r.Family == "stack").TestMean!.Value, 9);
        var reported = LeaderboardBuilder.Build("tiny-x", Tiny(), [Final(1, 1, TrialStatus.Ok, 9.0, trivial: 11.5), Final(2, 1, TrialStatus.Failed, null, trivial: null)]);
        Assert.Equal(11.5, reported.Rows.Single(r => r.Family == "stack").TestMean!.Value, 9);
        var catalog = LeaderboardBuilder.Build("tiny-x", Tiny(), [Final(2, 1, TrialStatus.Failed, null, trivial: null)]);
        Assert.Equal(jsbCatalog, catalog.Rows.Single(r => r.Family == "stack").TestMean!.Value, 9);
        // A failed seed counts even when it reported a test metric (whatever it was, the run broke).
        var stray = LeaderboardBuilder.Build("tiny-x", Tiny(), [Final(2, 1, TrialStatus.Failed, 7.0, trivial: 11)]);
        Assert.Equal(11, stray.Rows.Single(r => r.Family == "stack").TestMean!.Value, 9);
        Assert.Equal("0/1", LeaderboardPrinter.SurvivorsOfSeeds(stray.Rows.Single(r => r.Family == "stack")));
    }

    [Fact]
    public void Stopped_time_seeds_are_left_out_counted_and_named_by_the_verdict()
    {
        var trials = new List<TrialRecord>
        {
            Final(1, 1, TrialStatus.Ok, 9.0), Final(1, 2, TrialStatus.Ok, 9.2), Final(1, 3, TrialStatus.Ok, 9.1), Final(1, 4, TrialStatus.Ok, 9.3),
            Final(2, 1, TrialStatus.Ok, 8.5), Final(2, 2, TrialStatus.Ok, 8.8), Final(2, 3, TrialStatus.StoppedByTime, 8.0), Final(2, 4, TrialStatus.Stopped, 8.1),
        };
        var report = LeaderboardBuilder.Build("tiny-x", Tiny(), trials);

        var stack = report.Rows.Single(r => r.Family == "stack");
        Assert.Equal((2, 2, 1), (stack.Seeds, stack.Survivors, stack.StoppedTime));
        Assert.Equal((8.5 + 8.8) / 2, stack.TestMean!.Value, 9); // neither 8.0 (time limit) nor 8.1 (stopped: runs again)
        Assert.Equal("2/2 +1 stopped-time", LeaderboardPrinter.SurvivorsOfSeeds(stack));
        Assert.Contains(stack.SeedValues, s => s is { Seed: 3, Status: TrialStatus.StoppedByTime, Counted: false });
        Assert.DoesNotContain(stack.SeedValues, s => s.Seed == 4); // not finished
        Assert.Equal(1, stack.Status[TrialStatus.StoppedByTime]);

        var verdict = report.Verdicts.Single(v => v.Family == "stack");
        Assert.Equal(2, verdict.Pairs);
        Assert.Equal(1, verdict.StoppedTimeSeeds);
        Assert.Equal(((8.5 - 9.0) + (8.8 - 9.2)) / 2, verdict.DeltaMean!.Value, 9);

        using var output = new StringWriter();
        LeaderboardPrinter.PrintPlain(report, output);
        Assert.Contains("(1 seed stopped by the time limit left out)", output.ToString());
        Assert.Contains("2/2 +1 stopped-time", output.ToString());
    }

    [Fact]
    public void Fixed_size_groups_get_no_verdict_only_a_not_size_matched_listing()
    {
        Candidate Fixed(long id, string family, int depth, string spec, long parameters) =>
            new() { Id = id, Task = "jsb", Cell = "LSTM", Family = family, Depth = depth, Budget = null, Spec = spec, Params = parameters };
        var candidates = new[] { Fixed(1, "baseline", 1, "LSTM:hidden=32", 20_000), Fixed(2, "stack", 2, "LSTM:hidden=32,layers=2", 28_000) };
        var trials = new[] { 1, 2, 3, 4, 5 }.SelectMany(s => new[] { Final(1, s, TrialStatus.Ok, 9.0 + 0.01 * s), Final(2, s, TrialStatus.Ok, 8.0 + 0.02 * s) }).ToList();
        var report = LeaderboardBuilder.Build("fixed-x", candidates, trials);

        Assert.Empty(report.Verdicts);
        Assert.Empty(report.PooledVerdicts);
        var listed = Assert.Single(report.NotSizeMatched);
        Assert.Equal(LeaderboardBuilder.NotSizeMatched, listed.Outcome);
        Assert.Equal(5, listed.Pairs);
        Assert.True(listed.DeltaMean < -0.9); // the difference is shown ...
        Assert.Null(listed.PValue); // ... but not tested: it could come from the size
        Assert.Null(listed.PHolm);
        Assert.Equal((28_000, 20_000), (listed.Params, listed.BaselineParams));
    }

    [Fact]
    public void Pooled_verdicts_refuse_mixed_metrics_and_say_when_tasks_are_too_few()
    {
        var study = TestStudies.Parse(TestStudies.Tiny.Replace("tasks = [\"jsb\"]", "tasks = [\"jsb\", \"nottingham\", \"copy\"]").Replace(", \"deep-output\"", ""));
        var candidates = CandidateGenerator.Expand(study).Candidates;
        Assert.Equal(6, candidates.Count);
        var trials = candidates.SelectMany(c => new[] { 1L, 2, 3 }.Select(s =>
        {
            var scale = c.Task == "copy" ? 1.6 : 9.0;
            var value = scale * (1 + 0.01 * s) * (c.Family == "stack" ? 0.95 : 1);
            return Final(c.Id, s, TrialStatus.Ok, value);
        })).ToList();
        var report = LeaderboardBuilder.Build("tiny-x", candidates, trials);

        Assert.Equal(3, report.Verdicts.Count);
        var pooled = Assert.Single(report.PooledVerdicts); // copy (xent) is never pooled with the nll tasks
        Assert.Equal("nll", pooled.MetricName);
        Assert.Equal(["jsb", "nottingham"], pooled.TaskRelativeDeltas.Keys.Order(StringComparer.Ordinal));
        Assert.All(pooled.TaskRelativeDeltas.Values, d => Assert.Equal(-0.05, d, 9));
        Assert.Equal(0.5, pooled.MinimumP, 12);
        Assert.Equal(LeaderboardBuilder.TooFewTasks, pooled.Outcome); // two tasks can never give p < 0.05

        var mixed = report.Verdicts.Where(v => v.Family == "stack").ToList();
        var error = Assert.Throws<ArgumentException>(() => PooledVerdicts.Pool(mixed));
        Assert.Contains("one metric", error.Message);
    }

    [Fact]
    public void Pooled_verdict_over_six_tasks_that_agree_is_decisive()
    {
        // Six tasks of one metric that all lose 2–7 %: the signed-rank test's smallest p, 2/64, is below α.
        var perTask = Enumerable.Range(1, 6).Select(i => new Verdict
        {
            Task = $"t{i}", MetricName = "nll", Cell = "LSTM", Budget = 20_000, Family = "stack", Depth = 2, Candidate = "LSTM:layers=2", Baseline = "LSTM",
            Pairs = 3, RelativeDelta = 0.01 + 0.01 * i, Outcome = LeaderboardBuilder.NoDifference,
        }).ToList();
        var pooled = Assert.Single(PooledVerdicts.Build(perTask));
        Assert.Equal(2.0 / 64, pooled.PValue!.Value, 12);
        Assert.Equal(2.0 / 64, pooled.MinimumP, 12);
        Assert.Equal(LeaderboardBuilder.Worse, pooled.Outcome);
        Assert.Equal(18, pooled.Pairs);
    }

    [Fact]
    public void Pruned_and_time_stopped_draws_are_their_own_trainability_categories()
    {
        var trials = new[]
        {
            Final(2, 1, TrialStatus.Ok, 9.0, phase: TrialPhase.Tune), Final(2, 2, TrialStatus.Ok, 11.5, phase: TrialPhase.Tune), // the second never beat the trivial 11
            Final(2, 3, TrialStatus.Pruned, 10.0, phase: TrialPhase.Tune), Final(2, 4, TrialStatus.Pruned, 10.2, phase: TrialPhase.Tune),
            Final(2, 5, TrialStatus.StoppedByTime, 10.1, phase: TrialPhase.Tune), Final(2, 6, TrialStatus.Diverged, null, phase: TrialPhase.Tune),
            Final(2, 7, TrialStatus.Stopped, 9.5, phase: TrialPhase.Tune), Final(2, 8, TrialStatus.Ok, null, phase: TrialPhase.Tune, state: TrialState.Running),
        };
        var report = LeaderboardBuilder.Build("tiny-x", Tiny(), trials);

        var stack = Assert.Single(report.Trainability);
        Assert.Equal("stack", stack.Family);
        Assert.Equal(6, stack.Trials); // neither the stopped one (runs again) nor the running one
        Assert.Equal(3, stack.Judged);
        Assert.Equal((1, 0, 1), (stack.Diverged, stack.Failed, stack.NeverBeatTrivial));
        Assert.Equal((2, 1), (stack.Pruned, stack.StoppedTime));
        Assert.Equal(2.0 / 3, stack.UntrainableShare, 12);
    }
}
