using static RnnSearch.Deploy.Tests.DeployFiles;

namespace RnnSearch.Deploy.Tests;

/// <summary>Every metric the dashboard and the Prometheus rules query is exported by a real coordinator or trainer.</summary>
public sealed class MetricsExportTests
{
    [Fact]
    public async Task Every_metric_the_dashboard_and_rules_query_is_exported_by_a_running_study()
    {
        var queried = DashboardExpressions().Concat(RuleExpressions()).SelectMany(MetricNames).ToHashSet();
        Assert.Contains("rnnsearch_trials_completed_total", queried);
        Assert.Contains("rnnsearch_trial_train_loss", queried);

        using var study = TinyStudy.Start();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var seen = new HashSet<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(150);
        // Trainers exit with the study and some series exist only while a trial runs: scrape both nodes throughout.
        while (!study.Coordinator.HasExited && DateTime.UtcNow < deadline)
        {
            foreach (var url in new[] { study.CoordinatorMetrics, study.TrainerMetrics })
            {
                try { seen.UnionWith(ExposedNames(await http.GetStringAsync(url))); }
                catch (HttpRequestException) { } catch (TaskCanceledException) { }
            }
            await Task.Delay(200);
        }
        await study.Coordinator.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(study.Coordinator.ExitCode == 0, $"the study failed:\n{study.Coordinator.Output}");

        var missing = queried.Where(name => !seen.Contains(name)).OrderBy(n => n).ToList();
        Assert.True(missing.Count == 0, $"queried but never exported: {string.Join(", ", missing)}\nexported: {string.Join(", ", seen.Order())}");
    }

    [Fact]
    public async Task Logs_are_json_with_node_role_address_study_and_trial_and_akka_events_keep_their_properties()
    {
        using var study = TinyStudy.Start(epochs: 1);
        await study.Coordinator.WaitAsync(TimeSpan.FromSeconds(150));
        Assert.True(study.Coordinator.ExitCode == 0, $"the study failed:\n{study.Coordinator.Output}");

        var runDirectory = Directory.GetDirectories(study.Directory_).Single(d => Path.GetFileName(d).StartsWith("deploy-tiny-", StringComparison.Ordinal));
        var coordinator = Events(Path.Combine(runDirectory, "coordinator.log.json"));
        var trainer = Events(Directory.GetFiles(runDirectory, "trainer-*.log.json").Single());

        Assert.All(coordinator, e => Assert.Equal("coordinator", e.GetProperty("NodeRole").GetString()));
        Assert.All(coordinator, e => Assert.StartsWith("deploy-tiny-", e.GetProperty("StudyId").GetString()));
        Assert.All(trainer, e => Assert.Equal("trainer", e.GetProperty("NodeRole").GetString()));
        Assert.Contains(trainer, e => e.TryGetProperty("NodeAddress", out var a) && a.GetString()!.StartsWith("akka.tcp://rnnsearch@127.0.0.1:", StringComparison.Ordinal));
        // Our actors' events (through the Akka logger actor) and the trial runner's carry the trial.
        Assert.Contains(coordinator, e => e.GetProperty("SourceContext").GetString()!.EndsWith("StudyCoordinatorActor", StringComparison.Ordinal) && e.TryGetProperty("TrialId", out _));
        var epochs = trainer.Where(e => e.GetProperty("SourceContext").GetString() == "RnnSearch.Trial" && e.TryGetProperty("Epoch", out _)).ToList();
        Assert.Equal(TinyStudy.Trials, epochs.Count);
        Assert.All(epochs, e => { Assert.True(e.TryGetProperty("TrialId", out _)); Assert.True(e.TryGetProperty("@tr", out _)); });
        // Akka's own events arrive with their template properties and actor path (debug level was asked for).
        Assert.Contains(coordinator, e => e.GetProperty("SourceContext").GetString()!.StartsWith("Akka.Cluster", StringComparison.Ordinal) && e.TryGetProperty("ActorPath", out _));
        // One trace: the trainer's epochs continue the coordinator's trial spans.
        var trialTraces = coordinator.Where(e => e.TryGetProperty("@tr", out _)).Select(e => e.GetProperty("@tr").GetString()).ToHashSet();
        Assert.Contains(epochs, e => trialTraces.Contains(e.GetProperty("@tr").GetString()));
    }

    private static List<System.Text.Json.JsonElement> Events(string path) =>
        File.ReadAllLines(path).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.Clone()).ToList();
}
