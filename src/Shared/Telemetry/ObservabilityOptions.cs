namespace RnnSearch.Shared.Telemetry;

/// <summary>The command-line side of logs and metrics, the same on both node kinds (--log-level, --log-dir, --metrics-port, --metrics-host).</summary>
public sealed record ObservabilityOptions
{
    /// <summary>Minimum level of every log sink; null: from configuration (appsettings.json, environment).</summary>
    public string? LogLevel { get; init; }
    /// <summary>Folder of the JSON log file; null: the node's default (the study's run folder, or the working directory).</summary>
    public string? LogDirectory { get; init; }
    /// <summary>Prometheus scrape port; 0 turns the endpoint off.</summary>
    public int MetricsPort { get; init; }
    public string MetricsHost { get; init; } = "127.0.0.1";
}
