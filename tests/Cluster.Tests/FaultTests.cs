using RnnSearch.Coordinator.Studies;

namespace RnnSearch.Cluster.Tests;

/// <summary>
/// Real processes on 127.0.0.1, killed for real. Each test ends with the study complete, every trial recorded exactly
/// once (counted in the store) and no process left behind.
/// </summary>
public class FaultTests
{
    /// <summary>Nine real trials of a few seconds each (small LSTMs on JSB, up to 30 epochs of 25 windows).</summary>
    internal const string Study = """
        name = "faults"
        tasks = ["jsb"]
        cells = ["LSTM"]
        placements = ["baseline", "stack", "deep-output"]
        budgets = [20000]
        seeds = [1, 2, 3]
        [training]
        batch = 8
        max_batches_per_epoch = 25
        [fidelity]
        max_epochs = 30
        """;

    internal static readonly TimeSpan StudyTimeout = TimeSpan.FromMinutes(4);

    internal static void AssertExactlyOnce(TestCluster cluster)
    {
        var trials = cluster.Trials();
        Assert.Equal(9, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Done, t.State));
        Assert.All(trials, t => Assert.Equal("ok", t.Outcome!.Status));
        // One finished attempt per trial: the result of every other attempt was never recorded.
        Assert.Equal(9, cluster.Scalar("SELECT count(*) FROM attempts WHERE outcome='finished'"));
        Assert.Equal(9, cluster.Scalar("SELECT count(DISTINCT trial_id) FROM attempts WHERE outcome='finished'"));
        Assert.Equal(0, cluster.Scalar("SELECT count(*) FROM attempts WHERE ended_at IS NULL"));
    }

    [Fact]
    public void A_trainer_killed_mid_trial_has_its_trial_requeued_and_the_study_completes()
    {
        using var cluster = new TestCluster(Study);
        var coordinator = cluster.StartCoordinator();
        var doomed = cluster.StartTrainer("doomed");
        Assert.True(TestCluster.WaitUntil(() => cluster.Trials().Any(t => t.State == TrialState.Running), TimeSpan.FromSeconds(60)), cluster.Logs());
        cluster.StartTrainer("survivor");
        Thread.Sleep(1500); // mid-trial: an epoch or two in
        doomed.Kill();

        Assert.True(coordinator.WaitForExit(StudyTimeout), "study did not complete\n" + cluster.Logs());
        Assert.Equal(0, coordinator.ExitCode);
        AssertExactlyOnce(cluster);
        Assert.True(cluster.Scalar("SELECT count(*) FROM attempts WHERE outcome='requeued' AND node_id LIKE 'doomed/%'") >= 1, cluster.Logs());
        cluster.AssertNoProcessLeft();
    }

    [Fact]
    public void A_coordinator_killed_and_restarted_on_the_same_store_resumes_and_trainers_rejoin()
    {
        using var cluster = new TestCluster(Study);
        var first = cluster.StartCoordinator();
        cluster.StartTrainer("a");
        cluster.StartTrainer("b");
        Assert.True(TestCluster.WaitUntil(() => cluster.Trials().Count(t => t.State == TrialState.Done) >= 2
                                                && cluster.Trials().Any(t => t.State == TrialState.Running), TimeSpan.FromSeconds(120)), cluster.Logs());
        first.Kill();
        var doneBefore = cluster.Trials().Count(t => t.State == TrialState.Done);

        var second = cluster.StartCoordinator();
        Assert.True(second.WaitForExit(StudyTimeout), "resumed study did not complete\n" + cluster.Logs());
        Assert.Equal(0, second.ExitCode);
        Assert.Contains($"Resuming {cluster.Study.Id}", second.Output);
        Assert.Contains($"{doneBefore}/9 trials recorded", second.Output);
        AssertExactlyOnce(cluster);
        Assert.True(cluster.Scalar("SELECT count(*) FROM attempts WHERE reason='coordinator restarted'") >= 1, cluster.Logs());
        cluster.AssertNoProcessLeft();
    }
}
