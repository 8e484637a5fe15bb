using RnnSearch.Shared.Telemetry;
using Serilog.Events;

namespace RnnSearch.Shared.Logging;

/// <summary>How a process logs: to the console (human lines), a rolling compact-JSON file and, with OTLP, the collector.</summary>
public sealed record LoggingSettings
{
    /// <summary>coordinator or trainer: the NodeRole property of every event.</summary>
    public required string Role { get; init; }
    /// <summary>The JSON log file (rolled at 50 MB, 10 files kept); null for none.</summary>
    public string? FilePath { get; init; }
    /// <summary>--log-level: the minimum level of every sink (overrides configuration).</summary>
    public string? LogLevel { get; init; }
    /// <summary>The console shows only this level and above (the file keeps everything the minimum level lets through).</summary>
    public LogEventLevel ConsoleLevel { get; init; } = LogEventLevel.Information;
    /// <summary>The console shows Akka's own events only from this level (they are in the file either way).</summary>
    public LogEventLevel ConsoleAkkaLevel { get; init; } = LogEventLevel.Warning;
    /// <summary>Write console lines to stderr, keeping stdout for the command's output (progress, JSON).</summary>
    public bool ConsoleToStandardError { get; init; }
    /// <summary>Properties on every event (StudyId on the coordinator, NodeId on a trainer).</summary>
    public IReadOnlyDictionary<string, object> Properties { get; init; } = new Dictionary<string, object>();
    /// <summary>OTLP destination of the logs (the same as traces and metrics); null or no endpoint for none.</summary>
    public TelemetrySettings? Telemetry { get; init; }

    /// <summary>Serilog's name of a level given as Serilog or Microsoft.Extensions.Logging name (trace, info, warn, critical, …).</summary>
    public static string NormalizeLevel(string level) => level.Trim().ToLowerInvariant() switch
    {
        "verbose" or "trace" => "Verbose",
        "debug" => "Debug",
        "information" or "info" => "Information",
        "warning" or "warn" => "Warning",
        "error" => "Error",
        "fatal" or "critical" => "Fatal",
        _ => throw new ArgumentException($"--log-level {level}: expected trace, debug, information, warning, error or critical"),
    };
}
