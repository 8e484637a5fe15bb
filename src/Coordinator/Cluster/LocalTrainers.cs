using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace RnnSearch.Coordinator.Cluster;

/// <summary>
/// Trainer node processes started by the coordinator in single-node mode, on loopback, with their output in log
/// files and their PIDs known; disposing stops them (politely, then by force) so none outlives the coordinator.
/// </summary>
public sealed class LocalTrainers : IDisposable
{
    private readonly List<(Process Process, string Log)> _processes = [];
    private readonly ILogger _log;

    public LocalTrainers(ILogger log) => _log = log;

    /// <summary>Password of the cluster certificate, handed to the trainers through their environment.</summary>
    public string? TlsPassword { get; init; }

    public IReadOnlyList<int> ProcessIds => _processes.Select(p => p.Process.Id).ToList();

    public void Start(int count, string seedNode, int slots, int threads, string dataDirectory, string logDirectory, string? trainerCommand, IReadOnlyList<string> extraArguments,
        Func<int, IReadOnlyList<string>>? trainerArguments = null)
    {
        var (fileName, prefix) = TrainerLocator.Locate(trainerCommand);
        Directory.CreateDirectory(logDirectory);
        for (var i = 0; i < count; i++)
        {
            var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in prefix) info.ArgumentList.Add(argument);
            foreach (var argument in new[] { "--seed-nodes", seedNode, "--hostname", "127.0.0.1", "--port", "0", "--slots", slots.ToString(), "--threads", threads.ToString(),
                         "--data-dir", dataDirectory, "--node-id", $"local-trainer-{i + 1}", "--exit-when-done" })
                info.ArgumentList.Add(argument);
            foreach (var argument in extraArguments) info.ArgumentList.Add(argument);
            foreach (var argument in trainerArguments?.Invoke(i) ?? []) info.ArgumentList.Add(argument);
            // A TLS password travels in the environment, never on a command line that `ps` shows.
            if (Environment.GetEnvironmentVariable("RNNSEARCH_TLS_PASSWORD") is null && TlsPassword is { } password) info.Environment["RNNSEARCH_TLS_PASSWORD"] = password;
            var logPath = Path.Combine(logDirectory, $"trainer-{i + 1}.log");
            var process = Process.Start(info) ?? throw new InvalidOperationException("could not start a trainer node process");
            var writer = new StreamWriter(logPath, append: true) { AutoFlush = true };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
            process.EnableRaisingEvents = true;
            process.Exited += (_, _) => { lock (writer) writer.Dispose(); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _processes.Add((process, logPath));
            _log.LogInformation("Started local trainer {Index} (pid {Pid}), log {Log}", i + 1, process.Id, logPath);
        }
    }

    /// <summary>Waits for the trainers to exit by themselves (they do when told the study is complete), then kills the rest.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        var deadline = DateTime.UtcNow + grace;
        foreach (var (process, _) in _processes)
        {
            var left = deadline - DateTime.UtcNow;
            if (left > TimeSpan.Zero)
            {
                using var timeout = new CancellationTokenSource(left);
                try { await process.WaitForExitAsync(timeout.Token); } catch (OperationCanceledException) { }
            }
        }
        Dispose();
    }

    public void Dispose()
    {
        foreach (var (process, _) in _processes) process.KillTreeAndDispose(5000);
        _processes.Clear();
    }
}
