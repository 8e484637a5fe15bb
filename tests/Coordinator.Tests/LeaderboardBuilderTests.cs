using RnnSearch.Coordinator.Leaderboard;
using RnnSearch.Coordinator.Studies;

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

    [Fact]
    public void Consistent_improvements_are_better_consistent_losses_worse_and_noise_undetected()
    {
        var study = TestStudies.Parse(TestStudies.Tiny.Replace("\"deep-output\"", "\"deep-output\", \"deep-input\""));
        var candidates = CandidateGenerator.Expand(study).Candidates; // baseline, stack, deep-output, deep-input
        var trials = Finals(1, 9.0, 9.2, 9.1, 9.3, 9.0)
            .Concat(Finals(2, 8.5, 8.7, 8.6, 8.8, 8.5))      // stack: 0.5 lower on every seed
            .Concat(Finals(3, 9.6, 9.8, 9.7, 9.9, 9.6))      // deep-output: 0.6 higher on every seed
            .Concat(Finals(4, 9.1, 9.0, 9.2, 9.2, double.NaN)) // deep-input: noise, one diverged seed
            .ToList();
        var report = LeaderboardBuilder.Build("tiny-x", candidates, trials);

        Assert.Equal(["stack", "baseline", "deep-input", "deep-output"], report.Rows.OrderBy(r => r.Rank).Select(r => r.Family));
        var verdict = report.Verdicts.ToDictionary(v => v.Family);
        Assert.Equal("better", verdict["stack"].Outcome);
        Assert.Equal(-0.5, verdict["stack"].DeltaMean!.Value, 6);
        Assert.Equal("worse", verdict["deep-output"].Outcome);
        Assert.Equal("no detectable difference", verdict["deep-input"].Outcome);
        Assert.Equal(4, verdict["deep-input"].Pairs);
        Assert.True(verdict["stack"].PHolm >= verdict["stack"].PValue);
        Assert.Equal(1, report.Rows.Single(r => r.Family == "deep-input").Status["diverged"]);
        Assert.Equal(1, report.Trainability.Single(t => t.Family == "deep-input").Diverged);
        var ci = report.Rows.Single(r => r.Family == "baseline").TestCi95!;
        Assert.True(ci[0] < 9.12 && ci[1] > 9.12);
    }
}
