using RnnSearch.Coordinator.Studies;

namespace RnnSearch.Coordinator.Tests;

public class TrialSchedulerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    private static TrialOutcome Ok(double valid) => new("ok", valid, valid + 0.1, 2, 2, 1000, 1, "cpu", "n", 11, null);

    [Fact]
    public void Without_tuning_every_candidate_gets_one_final_trial_per_seed_with_the_fixed_hyper_parameters()
    {
        var study = TestStudies.Parse(TestStudies.Tiny);
        var scheduler = new TrialScheduler(study, CandidateGenerator.Expand(study).Candidates, []);
        var trials = scheduler.CreateInitialTrials();
        Assert.Equal(9, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialPhase.Final, t.Phase));
        var jsb = RnnSearch.Shared.Tasks.TrainingRecipes.For("jsb"); // the task's recipe: Tiny sets no hyper-parameter
        Assert.All(trials, t => Assert.Equal(new HyperParameters(jsb.LearningRate, jsb.Dropout, jsb.WeightDecay, jsb.BatchSize), t.Hyper));
        Assert.Equal([1L, 2, 3], trials.Where(t => t.CandidateId == 1).Select(t => t.Seed));

        var order = new List<long>();
        while (scheduler.Next("n", 0, Now) is { } trial)
        {
            order.Add(trial.Id);
            Assert.Empty(scheduler.Complete(trial.Id, Ok(9)));
        }
        Assert.Equal(trials.Select(t => t.Id), order);
        Assert.True(scheduler.IsComplete);
    }

    [Fact]
    public void After_its_tuning_draws_a_candidate_is_rerun_with_every_seed_using_its_best_draw()
    {
        var study = TestStudies.Parse(TestStudies.Tuned);
        var scheduler = new TrialScheduler(study, CandidateGenerator.Expand(study).Candidates, []);
        var draws = scheduler.CreateInitialTrials();
        Assert.Equal(8, draws.Count);
        Assert.Equal(2 * 4 + 2 * 2, scheduler.Total);

        var finals = new List<TrialRecord>();
        HyperParameters? best = null;
        var metric = 10.0;
        while (scheduler.Next("n", 0, Now) is { } trial && trial.Phase == TrialPhase.Tune)
        {
            Assert.NotNull(trial.Hyper);
            Assert.InRange(trial.Hyper!.LearningRate, 0.001, 0.01);
            Assert.Contains(trial.Hyper.BatchSize, new[] { 8, 16 });
            metric -= trial.CandidateId == 1 ? 0.5 : 0.1;
            if (trial.CandidateId == 1) best = trial.Hyper;
            finals.AddRange(scheduler.Complete(trial.Id, Ok(metric)));
        }
        Assert.Equal(4, finals.Count);
        Assert.All(finals.Where(f => f.CandidateId == 1), f => Assert.Equal(best, f.Hyper));
        Assert.Equal(12, scheduler.Total);
    }

    [Fact]
    public void A_requeued_trial_runs_next_and_fails_when_its_attempts_are_used_up()
    {
        var study = TestStudies.Parse(TestStudies.Tiny.Replace("[fidelity]", "[limits]\nmax_attempts = 2\n[fidelity]"));
        var scheduler = new TrialScheduler(study, CandidateGenerator.Expand(study).Candidates, []);
        scheduler.CreateInitialTrials();
        var first = scheduler.Next("a", 0, Now)!;
        scheduler.Next("b", 0, Now);
        Assert.True(scheduler.Requeue(first.Id));
        var again = scheduler.Next("b", 1, Now)!;
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(2, again.Attempts);
        Assert.False(scheduler.Requeue(first.Id));
    }

    [Fact]
    public void A_restarted_coordinator_queues_trials_that_were_running_and_keeps_recorded_ones()
    {
        var study = TestStudies.Parse(TestStudies.Tiny);
        var candidates = CandidateGenerator.Expand(study).Candidates;
        var original = new TrialScheduler(study, candidates, []);
        var trials = original.CreateInitialTrials();
        var done = original.Next("a", 0, Now)!;
        original.Complete(done.Id, Ok(9));
        var running = original.Next("a", 0, Now)!;

        var resumed = new TrialScheduler(study, candidates, trials);
        Assert.Equal(1, resumed.Done);
        Assert.Equal(TrialState.Pending, resumed.Get(running.Id).State);
        Assert.Equal(running.Id, resumed.Next("b", 0, Now)!.Id);
    }

    [Fact]
    public void Asha_stops_draws_outside_the_best_third_at_each_rung_once_three_reached_it()
    {
        var asha = new AshaPolicy(new FidelitySettings { Asha = true, MinEpochs = 1, ReductionFactor = 3, MaxEpochs = 27 });
        Assert.Equal([1, 3, 9], asha.Rungs);
        Assert.False(asha.ShouldStop(1, 1, 5.0));
        Assert.False(asha.ShouldStop(1, 1, 4.0));
        Assert.True(asha.ShouldStop(1, 1, 6.0));   // 3 draws at rung 1: keep 1, 6.0 is not the best
        Assert.False(asha.ShouldStop(1, 1, 3.0));  // the new best continues
        Assert.False(asha.ShouldStop(1, 2, 1.0));  // not a rung
        Assert.False(asha.ShouldStop(2, 1, 100));  // another candidate has its own rungs
    }

    [Fact]
    public void Tpe_concentrates_its_draws_near_the_optimum_of_a_smooth_objective()
    {
        var study = TestStudies.Parse(TestStudies.Tuned);
        var space = new SearchSpace(study);
        var tpe = new TreeParzenEstimator(space);
        double Objective(HyperParameters h) => Math.Pow(Math.Log10(h.LearningRate) - Math.Log10(0.002), 2) + Math.Pow(h.Dropout - 0.25, 2);

        double MeanLateDistance(Func<List<(HyperParameters, double)>, RnnSearch.Shared.Common.SeededRandom, HyperParameters> next, int seed)
        {
            var observations = new List<(HyperParameters, double)>();
            var random = new RnnSearch.Shared.Common.SeededRandom(seed);
            for (var i = 0; i < 40; i++)
            {
                var h = next(observations, random);
                observations.Add((h, Objective(h)));
            }
            return observations.Skip(20).Average(o => o.Item2);
        }

        var tpeScore = Enumerable.Range(0, 5).Average(s => MeanLateDistance((o, r) => tpe.Next(o, r), s));
        var randomScore = Enumerable.Range(0, 5).Average(s => MeanLateDistance((_, r) => space.Random(r), s));
        Assert.True(tpeScore < randomScore * 0.6, $"TPE {tpeScore} vs random {randomScore}");
    }
}
