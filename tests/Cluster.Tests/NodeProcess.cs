using System.Diagnostics;
using System.Text;

namespace RnnSearch.Cluster.Tests;

/// <summary>A coordinator or trainer process started by a test; its output is kept, and Dispose kills it (SIGKILL) if still alive.</summary>
internal sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public string Name { get; }
    public int Pid => _process.Id;

    private NodeProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public static NodeProcess Start(string name, string assembly, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(assembly);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(info)!;
        var node = new NodeProcess(name, process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (node._output) node._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (node._output) node._output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>SIGKILL: no shutdown hooks, no goodbye to the cluster.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>Sends a POSIX signal (SIGSTOP = 19, SIGCONT = 18, SIGTERM = 15) with the kill command.</summary>
    public void Signal(int signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", Pid.ToString()]);
        kill.WaitForExit();
    }

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed) return;
        try { Kill(); } catch (InvalidOperationException) { }
        _disposed = true;
    }

    /// <summary>True when no process with this PID exists any more (checked through /proc, after Dispose too).</summary>
    public bool IsGone => !Directory.Exists($"/proc/{Pid}") || File.ReadAllText($"/proc/{Pid}/stat").Split(' ')[2] == "Z";
}
