using Microsoft.Extensions.Logging;
using RnnSearch.Shared.Hosting;
using RnnSearch.Shared.Logging;
using RnnSearch.Shared.Telemetry;
using RnnSearch.TrainerNode.Actors;
using Serilog;
using Serilog.Extensions.Logging;

namespace RnnSearch.TrainerNode.Hosting;

/// <summary>
/// Logs and telemetry of a trainer node process: console lines, &lt;log dir&gt;/trainer-&lt;node id&gt;.log.json,
/// the Prometheus endpoint (default port 9465) and OTLP. Started once per process; disposing flushes everything.
/// </summary>
public sealed class TrainerObservability : IDisposable
{
    private readonly TelemetrySetup _telemetry;

    private TrainerObservability(string logFile, TelemetrySetup telemetry)
    {
        LogFile = logFile;
        _telemetry = telemetry;
    }

    public string LogFile { get; }

    public static string LogFileName(string nodeId) =>
        $"trainer-{string.Concat(nodeId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'))}.log.json";

    public static TrainerObservability Start(TrainerNodeOptions options, ObservabilityOptions observability)
    {
        var configuration = LoggingSetup.LoadConfiguration(observability.LogLevel);
        var telemetry = new TelemetrySettings
        {
            ServiceName = RnnSearchTelemetry.TrainerService, InstanceId = options.NodeId,
            MetricsPort = observability.MetricsPort, MetricsHost = observability.MetricsHost,
            ResourceAttributes = new Dictionary<string, object> { ["rnnsearch.node.role"] = ClusterConstants.TrainerRole, ["rnnsearch.node.id"] = options.NodeId, ["rnnsearch.device"] = options.Device },
        }.WithOtlpFrom(configuration);
        var logFile = Path.Combine(observability.LogDirectory ?? Path.Combine(Directory.GetCurrentDirectory(), "logs"), LogFileName(options.NodeId));
        var logger = LoggingSetup.AddRnnSearchLogging(new LoggingSettings
        {
            Role = ClusterConstants.TrainerRole, FilePath = logFile, LogLevel = observability.LogLevel, Telemetry = telemetry,
            Properties = new Dictionary<string, object> { [LogProperties.NodeId] = options.NodeId },
        }, configuration);
        using var loggers = new SerilogLoggerFactory(logger);
        return new TrainerObservability(logFile, TelemetrySetup.AddRnnSearchTelemetry(telemetry, loggers.CreateLogger("RnnSearch.Telemetry")));
    }

    public void Dispose()
    {
        _telemetry.Dispose();
        Log.CloseAndFlush();
    }
}
