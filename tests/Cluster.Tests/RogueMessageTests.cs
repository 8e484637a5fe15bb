using System.Text.Json;
using RnnSearch.Coordinator.Studies;
using RnnSearch.Shared.Protocol;

namespace RnnSearch.Cluster.Tests;

/// <summary>Unknown, malformed, oversized and unauthorised messages are logged and dropped; the nodes keep working.</summary>
public class RogueMessageTests
{
    private const string Study = """
        name = "rogue"
        tasks = ["jsb"]
        specs = ["LSTM:hidden=8"]
        seeds = [1, 2]
        [training]
        max_batches_per_epoch = 3
        [fidelity]
        max_epochs = 2
        """;

    [Fact]
    public void Garbage_unknown_and_oversized_messages_are_dropped_and_the_study_still_completes()
    {
        using var cluster = new TestCluster(Study);
        var coordinator = cluster.StartCoordinator();
        Assert.True(TestCluster.WaitUntil(() => coordinator.Output.Contains("Coordinator at"), TimeSpan.FromSeconds(60)), coordinator.Output);
        Thread.Sleep(2000);
        var target = $"{cluster.SeedNode}/user/{RnnSearch.Shared.Hosting.ClusterConstants.StudySingletonName}/{RnnSearch.Shared.Hosting.ClusterConstants.StudySingletonName}";
        using (var rogue = new RogueNode())
        {
            rogue.Send(target, new RogueMessage("v9.takeover", [1, 2, 3]));                          // unknown manifest
            rogue.Send(target, new RogueMessage($"v{ProtocolVersion.Current}.request", "{ definitely not json"u8.ToArray()));  // malformed payload
            rogue.Send(target, new RogueMessage($"v{ProtocolVersion.Current}.finished", new byte[1_000_000]));                 // over the 256 kB frame limit
            Thread.Sleep(3000);
        }
        Assert.False(coordinator.HasExited, "the coordinator died\n" + coordinator.Output);

        cluster.StartTrainer("honest");
        Assert.True(coordinator.WaitForExit(TimeSpan.FromMinutes(3)), "study did not complete\n" + cluster.Logs());
        Assert.Equal(0, coordinator.ExitCode);
        Assert.Equal(2, cluster.Trials().Count(t => t.State == TrialState.Done));
        var log = string.Concat(Directory.EnumerateFiles(cluster.Directory, "coordinator.log.json", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.Contains("unknown protocol message manifest 'v9.takeover'", log);
        Assert.Contains($"malformed payload for manifest 'v{ProtocolVersion.Current}.request'", log);
        cluster.AssertNoProcessLeft();
    }

    [Fact]
    public void A_trainer_refuses_work_from_a_node_that_is_not_the_coordinator()
    {
        using var cluster = new TestCluster(Study);
        var port = TestCluster.FreePort();
        var trainer = cluster.StartTrainer("target", "--port", port.ToString());
        Assert.True(TestCluster.WaitUntil(() => trainer.Output.Contains("joining"), TimeSpan.FromSeconds(60)), trainer.Output);
        Thread.Sleep(2000);
        var assign = new AssignTrial(99, 1, "forged", 0, "LSTM:hidden=8", "jsb", null, 1, 0.01, 0, 8, null, 1, 5, null, 1, 1, null, null, "baseline", true);
        using (var rogue = new RogueNode())
        {
            rogue.Send($"akka.tcp://rnnsearch@127.0.0.1:{port}/user/trainer",
                new RogueMessage($"v{ProtocolVersion.Current}.assign", JsonSerializer.SerializeToUtf8Bytes(assign)));
            Assert.True(TestCluster.WaitUntil(() => trainer.Output.Contains("Assignment of trial 99"), TimeSpan.FromSeconds(15)), trainer.Output);
        }
        Assert.Contains("refused: not a member with the coordinator role", trainer.Output);
        Assert.DoesNotContain("Slot 0: trial 99", trainer.Output);
        cluster.AssertNoProcessLeft();
    }
}
