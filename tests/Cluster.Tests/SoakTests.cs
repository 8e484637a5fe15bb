using RnnSearch.Coordinator.Studies;

namespace RnnSearch.Cluster.Tests;

/// <summary>
/// 1,000 trials answered by the FAKE no-op trainer (orchestrator test only: it trains nothing) while trainer processes
/// are killed with SIGKILL and replaced at random. Every trial must be recorded exactly once.
/// </summary>
public class SoakTests
{
    [Fact]
    public void A_thousand_trials_with_random_trainer_kills_are_each_recorded_exactly_once()
    {
        const int trials = 1000;
        var seeds = string.Join(", ", Enumerable.Range(1, trials / 2));
        using var cluster = new TestCluster($"""
            name = "soak"
            tasks = ["jsb"]
            specs = ["LSTM:hidden=8", "GRU:hidden=8"]
            seeds = [{seeds}]
            [limits]
            max_attempts = 50
            """);
        var coordinator = cluster.StartCoordinator();
        var random = new Random(2026);
        var trainers = new List<NodeProcess>();
        var started = 0;
        NodeProcess Start() => cluster.StartTrainer($"soak-{++started}", "--slots", "2", "--noop-trainer-for-benchmarks", "150");
        for (var i = 0; i < 3; i++) trainers.Add(Start());

        var kills = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(6);
        while (!coordinator.HasExited && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(random.Next(1500, 4000));
            if (coordinator.HasExited) break;
            var victim = trainers[random.Next(trainers.Count)];
            victim.Kill();
            kills++;
            trainers.Remove(victim);
            trainers.Add(Start());
        }
        Assert.True(coordinator.WaitForExit(TimeSpan.FromMinutes(2)), $"soak study did not complete after {kills} kills\n" + coordinator.Output);
        Assert.True(coordinator.ExitCode == 0, $"coordinator exit code {coordinator.ExitCode}\n" + coordinator.Output);
        Assert.True(kills >= 3, $"only {kills} kills happened: the study finished too fast to be a soak");

        var recorded = cluster.Trials();
        Assert.Equal(trials, recorded.Count);
        Assert.All(recorded, t => Assert.Equal(TrialState.Done, t.State));
        Assert.Equal(trials, cluster.Scalar("SELECT count(*) FROM attempts WHERE outcome='finished'"));
        Assert.Equal(trials, cluster.Scalar("SELECT count(DISTINCT trial_id) FROM attempts WHERE outcome='finished'"));
        Assert.Equal(0, cluster.Scalar("SELECT count(*) FROM attempts WHERE ended_at IS NULL"));
        Assert.True(cluster.Scalar("SELECT count(*) FROM attempts WHERE outcome='requeued'") >= 1);
        cluster.AssertNoProcessLeft();
    }
}
