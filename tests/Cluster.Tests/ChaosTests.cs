using RnnSearch.Coordinator.Studies;

namespace RnnSearch.Cluster.Tests;

/// <summary>More ways to break a running study: two kills, a frozen trainer, a kill during a checkpoint write,
/// graceful stops of both node kinds. Each ends with every trial recorded exactly once and no process left.</summary>
public class ChaosTests
{
    private static bool RunningOn(TestCluster cluster, string node) =>
        cluster.Trials().Any(t => t.State == TrialState.Running) &&
        cluster.Scalar($"SELECT count(*) FROM attempts WHERE ended_at IS NULL AND node_id LIKE '{node}/%'") > 0;

    [Fact]
    public void Two_trainers_killed_in_one_study()
    {
        using var cluster = new TestCluster(FaultTests.Study);
        var coordinator = cluster.StartCoordinator();
        var first = cluster.StartTrainer("first");
        var second = cluster.StartTrainer("second");
        Assert.True(TestCluster.WaitUntil(() => RunningOn(cluster, "first"), TimeSpan.FromSeconds(60)), cluster.Logs());
        first.Kill();
        cluster.StartTrainer("third");
        Assert.True(TestCluster.WaitUntil(() => RunningOn(cluster, "second"), TimeSpan.FromSeconds(60)), cluster.Logs());
        second.Kill();

        Assert.True(coordinator.WaitForExit(FaultTests.StudyTimeout), "study did not complete\n" + cluster.Logs());
        Assert.Equal(0, coordinator.ExitCode);
        FaultTests.AssertExactlyOnce(cluster);
        Assert.True(cluster.Scalar("SELECT count(*) FROM attempts WHERE outcome='requeued' AND (node_id LIKE 'first/%' OR node_id LIKE 'second/%')") >= 2, cluster.Logs());
        cluster.AssertNoProcessLeft();
    }

    [Fact]
    public void A_trainer_frozen_past_the_unreachable_timeout_loses_its_trial_and_rejoins_when_thawed()
    {
        using var cluster = new TestCluster(FaultTests.Study);
        var coordinator = cluster.StartCoordinator();
        var frozen = cluster.StartTrainer("frozen");
        Assert.True(TestCluster.WaitUntil(() => RunningOn(cluster, "frozen"), TimeSpan.FromSeconds(60)), cluster.Logs());
        frozen.Signal(19); // SIGSTOP
        cluster.StartTrainer("awake");
        Assert.True(TestCluster.WaitUntil(() => cluster.Scalar("SELECT count(*) FROM attempts WHERE outcome='requeued' AND node_id LIKE 'frozen/1'") >= 1,
            TimeSpan.FromSeconds(60)), "the frozen trainer's trial was not re-queued\n" + cluster.Logs());
        frozen.Signal(18); // SIGCONT: it finds itself removed, starts a fresh node and joins again

        Assert.True(coordinator.WaitForExit(FaultTests.StudyTimeout), "study did not complete\n" + cluster.Logs());
        Assert.Equal(0, coordinator.ExitCode);
        FaultTests.AssertExactlyOnce(cluster);
        Assert.True(TestCluster.WaitUntil(() => frozen.Output.Contains("Trainer node frozen/2"), TimeSpan.FromSeconds(30)), "the thawed trainer did not rejoin\n" + frozen.Output);
        cluster.AssertNoProcessLeft();
    }

    [Fact]
    public void A_trainer_killed_while_writing_a_checkpoint_is_resumed_elsewhere_from_the_last_complete_one()
    {
        // One larger model whose checkpoint takes a while to write; the checkpoint folder is shared by both trainers.
        using var cluster = new TestCluster("""
            name = "checkpoint"
            tasks = ["jsb"]
            specs = ["LSTM:hidden=600"]
            seeds = [1]
            [training]
            batch = 16
            max_batches_per_epoch = 3
            [fidelity]
            max_epochs = 12
            """);
        var coordinator = cluster.StartCoordinator();
        var writer = cluster.StartTrainer("writer");
        var checkpoints = Path.Combine(cluster.Directory, "checkpoints", cluster.Study.Id, "trial-1");
        // Kill the moment a new checkpoint is being written while an older complete one exists.
        var caught = TestCluster.WaitUntilFast(() => File.Exists(Path.Combine(checkpoints, "checkpoint.bin")) && Directory.Exists(checkpoints) && Directory.EnumerateFiles(checkpoints, "checkpoint.bin.*.tmp").Any(), TimeSpan.FromSeconds(120));
        writer.Kill();
        Assert.True(caught, "never saw a checkpoint being written\n" + cluster.Logs());
        cluster.StartTrainer("resumer");

        Assert.True(coordinator.WaitForExit(FaultTests.StudyTimeout), "study did not complete\n" + cluster.Logs());
        Assert.Equal(0, coordinator.ExitCode);
        var trial = Assert.Single(cluster.Trials());
        Assert.Equal("ok", trial.Outcome!.Status);
        Assert.True(trial.Outcome.ResumedFromEpoch >= 1, $"resumed from epoch {trial.Outcome.ResumedFromEpoch}\n" + cluster.Logs());
        Assert.Equal(1, cluster.Scalar("SELECT count(*) FROM attempts WHERE outcome='finished'"));
        cluster.AssertNoProcessLeft();
    }

    [Fact]
    public void A_coordinator_stopped_with_sigterm_requeues_running_trials_and_a_restart_finishes_the_study()
    {
        using var cluster = new TestCluster(FaultTests.Study);
        var first = cluster.StartCoordinator();
        cluster.StartTrainer("a");
        Assert.True(TestCluster.WaitUntil(() => cluster.Trials().Any(t => t.State == TrialState.Running), TimeSpan.FromSeconds(60)), cluster.Logs());
        first.Signal(15);
        Assert.True(first.WaitForExit(TimeSpan.FromSeconds(30)), "coordinator did not stop on SIGTERM\n" + cluster.Logs());
        Assert.Equal(130, first.ExitCode);
        Assert.Contains("Interrupted:", first.Output);
        Assert.DoesNotContain(cluster.Trials(), t => t.State == TrialState.Running);
        Assert.Equal(0, cluster.Scalar("SELECT count(*) FROM attempts WHERE ended_at IS NULL"));
        Assert.True(cluster.Scalar("SELECT count(*) FROM attempts WHERE reason='coordinator stopped'") >= 1);

        var second = cluster.StartCoordinator();
        Assert.True(second.WaitForExit(FaultTests.StudyTimeout), "study did not complete after the restart\n" + cluster.Logs());
        Assert.Equal(0, second.ExitCode);
        FaultTests.AssertExactlyOnce(cluster);
        cluster.AssertNoProcessLeft();
    }

    [Fact]
    public void A_trainer_stopped_with_sigterm_hands_its_trial_back_at_once()
    {
        using var cluster = new TestCluster(FaultTests.Study);
        var coordinator = cluster.StartCoordinator();
        var leaving = cluster.StartTrainer("leaving");
        Assert.True(TestCluster.WaitUntil(() => RunningOn(cluster, "leaving") && leaving.Output.Contains("epoch 1:"), TimeSpan.FromSeconds(60)), cluster.Logs());
        Thread.Sleep(500); // well inside a trial
        leaving.Signal(15);
        Assert.True(leaving.WaitForExit(TimeSpan.FromSeconds(30)), "trainer did not stop on SIGTERM\n" + leaving.Output);
        Assert.Equal(0, leaving.ExitCode);
        // Re-queued at once (handed back, or the node's graceful leave seen by the coordinator), not ~15 s later by the
        // failure detector: the hand-back and the leave race, either ends the attempt within seconds.
        Assert.True(TestCluster.WaitUntil(() => cluster.Scalar("SELECT count(*) FROM attempts WHERE node_id LIKE 'leaving/%' AND outcome='requeued' AND (reason LIKE 'handed back%' OR reason LIKE 'trainer node left%')") >= 1,
            TimeSpan.FromSeconds(5)), cluster.Logs());
        Assert.Contains("handed back", leaving.Output, StringComparison.OrdinalIgnoreCase);

        cluster.StartTrainer("staying");
        Assert.True(coordinator.WaitForExit(FaultTests.StudyTimeout), "study did not complete\n" + cluster.Logs());
        FaultTests.AssertExactlyOnce(cluster);
        cluster.AssertNoProcessLeft();
    }
}
