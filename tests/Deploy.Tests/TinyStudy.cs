using System.Text.RegularExpressions;

namespace RnnSearch.Deploy.Tests;

/// <summary>
/// A real single-node run on loopback: the built coordinator with one local trainer on a tiny study (JSB, LSTM
/// hidden 8, a few windows per epoch), metrics on free ports (coordinator P, its trainer P + 1). Disposing kills it.
/// </summary>
internal sealed class TinyStudy : IDisposable
{
    public const int Trials = 3;

    private readonly NodeProcess _coordinator;

    private TinyStudy(string directory, NodeProcess coordinator, int metricsPort)
    {
        Directory_ = directory;
        _coordinator = coordinator;
        CoordinatorMetrics = $"http://127.0.0.1:{metricsPort}/metrics";
        TrainerMetrics = $"http://127.0.0.1:{metricsPort + 1}/metrics";
    }

    public string Directory_ { get; }
    public string CoordinatorMetrics { get; }
    public string TrainerMetrics { get; }
    public NodeProcess Coordinator => _coordinator;

    public static TinyStudy Start(int epochs = 3)
    {
        var directory = Path.Combine(Path.GetTempPath(), "rnnsearch-deploy-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var study = Path.Combine(directory, "tiny.toml");
        File.WriteAllText(study, $$"""
            name = "deploy-tiny"
            description = "observability test"
            tasks = ["jsb"]
            specs = ["LSTM:hidden=8"]
            seeds = [1, 2, 3]

            [training]
            max_batches_per_epoch = 3
            patience = 10

            [fidelity]
            min_epochs = 1
            max_epochs = {{epochs}}
            """);
        var metricsPort = Repo.FreePort(consecutive: 2);
        var coordinator = NodeProcess.Dotnet(Repo.CoordinatorDll,
        [
            "run", study, "--local-trainers", "1", "--trainer-threads", "1", "--db", Path.Combine(directory, "rnnsearch.db"), "--http", "127.0.0.1:0",
            "--port", Repo.FreePort().ToString(), "--metrics-port", metricsPort.ToString(), "--log-level", "debug",
        ], directory);
        return new TinyStudy(directory, coordinator, metricsPort);
    }

    /// <summary>The web API's base URL, once the coordinator printed it.</summary>
    public string? ApiUrl => Regex.Match(_coordinator.Output, @"Web UI and API: (http://\S+)") is { Success: true } m ? m.Groups[1].Value.TrimEnd(',') : null;

    public void Dispose()
    {
        _coordinator.Dispose();
        try { Directory.Delete(Directory_, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
