using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace RnnSearch.Coordinator.Tests;

/// <summary>
/// A real coordinator process (`run STUDY --local-trainers N`) on loopback, from the build beside the tests, with its
/// output captured. Disposing kills it and every trainer it reported starting, by PID.
/// </summary>
internal sealed partial class CoordinatorProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<int> _trainerPids = [];

    public CoordinatorProcess(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(CoordinatorAssembly);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start the coordinator");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The coordinator built beside these tests: src/Coordinator/bin/CONFIGURATION/net10.0 (it records where its trainer is).</summary>
    public static string CoordinatorAssembly
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "RnnSearch.sln"))) directory = directory.Parent;
            if (directory is null) throw new InvalidOperationException("RnnSearch.sln not found above " + AppContext.BaseDirectory);
#if DEBUG
            const string configuration = "Debug";
#else
            const string configuration = "Release";
#endif
            var path = Path.Combine(directory.FullName, "src", "Coordinator", "bin", configuration, "net10.0", "RnnSearch.Coordinator.dll");
            return File.Exists(path) ? path : throw new InvalidOperationException($"{path} not built: dotnet build RnnSearch.sln -c {configuration}");
        }
    }

    public string WaitForLine(Regex pattern, TimeSpan timeout)
    {
        string? found = null;
        Chromium.WaitFor(() => (found = pattern.Match(Output) is { Success: true } m ? m.Groups[1].Value : null) is not null || _process.HasExited, timeout, $"'{pattern}' in the coordinator's output");
        return found ?? throw new InvalidOperationException($"the coordinator exited ({_process.ExitCode}) before printing '{pattern}':\n{Output}");
    }

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        if (TrainerPids().Match(line) is { Success: true } m)
            lock (_trainerPids) _trainerPids.AddRange(m.Groups[1].Value.Split(", ").Select(int.Parse));
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        lock (_trainerPids)
            foreach (var pid in _trainerPids) KillTrainer(pid);
        _process.Dispose();
    }

    /// <summary>Kills a trainer by PID, only if that PID still is one of our trainer processes (PIDs get reused).</summary>
    private static void KillTrainer(int pid)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            if (!commandLine.Contains("RnnSearch.TrainerNode", StringComparison.Ordinal)) return;
            using var trainer = Process.GetProcessById(pid);
            trainer.Kill(entireProcessTree: true);
            trainer.WaitForExit(10_000);
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
        {
        }
    }

    [GeneratedRegex(@"Started \d+ local trainer\(s\) \(pids ([\d, ]+)\)")]
    private static partial Regex TrainerPids();
}
