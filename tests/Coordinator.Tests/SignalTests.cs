using System.Diagnostics;
using System.Text.RegularExpressions;

namespace RnnSearch.Coordinator.Tests;

/// <summary>
/// Container platforms stop programs with SIGTERM, people with Ctrl-C (SIGINT): `serve` and `run` must end cleanly
/// within seconds of either, sent as real signals to real processes.
/// </summary>
public partial class SignalTests : IDisposable
{
    private static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(15);
    private readonly string _directory = SyntheticStudy.TemporaryDirectory();

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public void Serve_stops_cleanly_on_a_signal(string signal)
    {
        var db = Path.Combine(_directory, "study.db");
        SyntheticStudy.Create(db);
        using var serve = new CoordinatorProcess(["serve", "--db", db, "--http", "127.0.0.1:0"], new Dictionary<string, string>());
        serve.WaitForLine(Serving(), TimeSpan.FromSeconds(60));

        var sent = Stopwatch.StartNew();
        Send(signal, serve.Id);
        Assert.True(serve.WaitForExit(StopWithin), $"serve still running {StopWithin.TotalSeconds} s after SIG{signal}:\n{serve.Output}");
        Assert.Equal(0, serve.ExitCode);
        Assert.DoesNotContain("Unhandled exception", serve.Output);
        Assert.True(sent.Elapsed < StopWithin);
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public void Run_stops_cleanly_on_a_signal_and_says_how_to_resume(string signal)
    {
        var db = Path.Combine(_directory, "run.db");
        // No local trainers: the study waits for trainers that never come, until the signal.
        using var run = new CoordinatorProcess(["run", "quick", "--db", db, "--local-trainers", "0", "--port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--http", "127.0.0.1:0", "--metrics-port", "0"],
            new Dictionary<string, string>());
        run.WaitForLine(CoordinatorUp(), TimeSpan.FromSeconds(60));

        Send(signal, run.Id);
        Assert.True(run.WaitForExit(StopWithin), $"run still running {StopWithin.TotalSeconds} s after SIG{signal}:\n{run.Output}");
        Assert.Equal(130, run.ExitCode);
        Assert.Contains("run the same command to resume", run.Output);
        Assert.DoesNotContain("Unhandled exception", run.Output);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Send(string signal, int pid)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    [GeneratedRegex(@"(Serving) ")]
    private static partial Regex Serving();

    [GeneratedRegex(@"(Coordinator at) ")]
    private static partial Regex CoordinatorUp();
}
