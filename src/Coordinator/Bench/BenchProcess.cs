using System.Diagnostics;
using System.Globalization;
using RnnSearch.Coordinator.Cluster;

namespace RnnSearch.Coordinator.Bench;

/// <summary>
/// A coordinator or trainer process started by a benchmark: output to a log file (and watched for a line), resident
/// memory read from /proc, killed with its children when disposed so that nothing outlives the benchmark.
/// </summary>
internal sealed class BenchProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly List<(string Text, TaskCompletionSource Seen)> _watches = [];

    public string Name { get; }
    public int Pid => _process.Id;
    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    private BenchProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
    }

    /// <summary>Starts a .NET program (an assembly path is run with dotnet) with its output in <paramref name="logPath"/>.</summary>
    public static BenchProcess Start(string name, string program, IEnumerable<string> arguments, string logPath, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new ProcessStartInfo("dotnet") { ArgumentList = { program } }
            : new ProcessStartInfo(program);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {name}");
        var node = new BenchProcess(name, process, log);
        process.OutputDataReceived += (_, e) => node.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => node.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_watches)
        {
            _log.WriteLine(line);
            foreach (var (text, seen) in _watches)
                if (line.Contains(text, StringComparison.Ordinal)) seen.TrySetResult();
        }
    }

    /// <summary>Completes when a line containing <paramref name="text"/> appears (from now on).</summary>
    public Task WhenLine(string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_watches) _watches.Add((text, seen));
        return seen.Task;
    }

    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public Task WaitForExitAsync(CancellationToken cancellation) => _process.WaitForExitAsync(cancellation);

    /// <summary>Resident set size (VmRSS) or its peak (VmHWM) in bytes; null once the process is gone.</summary>
    public long? MemoryBytes(string field = "VmRSS")
    {
        try
        {
            var line = File.ReadLines($"/proc/{Pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            if (line is null) return null;
            var kb = line[(field.Length + 1)..].Trim().Split(' ')[0];
            return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>CPU time (user + system) the process has used so far, from /proc (clock ticks of 10 ms); null once gone.</summary>
    public double? CpuSeconds()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{Pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _process.KillTreeAndDispose(10_000);
        lock (_watches) _log.Dispose();
    }
}
