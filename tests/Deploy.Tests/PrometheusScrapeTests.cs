namespace RnnSearch.Deploy.Tests;

/// <summary>A real Prometheus (Debian's 2.42 binary) scrapes a real single-node study and answers queries about it.</summary>
public sealed class PrometheusScrapeTests
{
    [RequiresPrometheusFact]
    public async Task Prometheus_scrapes_completed_trials_of_a_running_study()
    {
        // Long enough (tens of epochs) for several 1 s scrapes of the trainer before the study ends and it exits.
        using var study = TinyStudy.Start(epochs: 30);
        var coordinator = new Uri(study.CoordinatorMetrics);
        var trainer = new Uri(study.TrainerMetrics);
        using var prometheus = await PrometheusServer.StartAsync(new Dictionary<string, string>
        {
            ["rnnsearch-coordinator"] = $"127.0.0.1:{coordinator.Port}", ["rnnsearch-trainer"] = $"127.0.0.1:{trainer.Port}",
        }, DeployFiles.Rules);

        double completed = 0, started = 0;
        var labels = new Dictionary<string, string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(150);
        while (DateTime.UtcNow < deadline && !study.Coordinator.HasExited)
        {
            var ok = await prometheus.QueryAsync("sum by (family, task) (rnnsearch_trials_completed_total{status=\"ok\"})");
            if (ok.Count > 0 && ok[0].Value >= completed) (labels, completed) = ok[0];
            var assigned = await prometheus.QueryAsync("sum(rnnsearch_trials_started_total)");
            if (assigned.Count > 0) started = Math.Max(started, assigned[0].Value);
            await Task.Delay(500);
        }
        await study.Coordinator.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(study.Coordinator.ExitCode == 0, $"the study failed:\n{study.Coordinator.Output}");

        Assert.True(completed >= 1, $"Prometheus never saw a completed trial (started: {started})\n{prometheus.Output}");
        Assert.InRange(completed, 1, TinyStudy.Trials);
        Assert.True(started >= completed, $"started {started} < completed {completed}");
        Assert.Equal("baseline", labels["family"]);
        Assert.Equal("jsb", labels["task"]);
        // The trainer target was scraped too, and the rules file loaded (its recording rule has samples).
        var epochs = await prometheus.QueryAsync("max_over_time(rnnsearch_epochs_completed_total[5m])");
        Assert.True(epochs.Count > 0 && epochs.Sum(e => e.Value) >= 1, "no epochs scraped from the trainer");
        var recorded = await prometheus.QueryAsync("count_over_time(rnnsearch:study_progress:ratio[5m])");
        Assert.True(recorded.Count > 0, "the recording rules of deploy/prometheus/rules.yml produced nothing");
    }

    [RequiresPrometheusFact]
    public async Task Promtool_accepts_the_rules_and_the_compose_prometheus_config()
    {
        Assert.NotNull(PrometheusServer.Promtool);
        var (rulesExit, rulesOutput) = await Run(PrometheusServer.Promtool!, ["check", "rules", DeployFiles.Rules]);
        Assert.True(rulesExit == 0, rulesOutput);
        // The compose config names the rules at their container path: check a copy that points at the repository file.
        var directory = Directory.CreateTempSubdirectory("rnnsearch-promtool").FullName;
        try
        {
            var config = Path.Combine(directory, "prometheus.yml");
            File.WriteAllText(config, File.ReadAllText(Path.Combine(Repo.Deploy, "prometheus", "prometheus.yml")).Replace("/etc/prometheus/rules.yml", DeployFiles.Rules));
            var (configExit, configOutput) = await Run(PrometheusServer.Promtool!, ["check", "config", config]);
            Assert.True(configExit == 0, configOutput);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(int, string)> Run(string program, string[] arguments)
    {
        using var process = NodeProcess.Start(program, arguments);
        await process.WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, process.Output);
    }
}
