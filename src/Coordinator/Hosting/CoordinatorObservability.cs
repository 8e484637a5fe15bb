using Microsoft.Extensions.Logging;
using RnnSearch.Shared.Hosting;
using RnnSearch.Shared.Logging;
using RnnSearch.Shared.Telemetry;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace RnnSearch.Coordinator.Hosting;

/// <summary>
/// Logs and telemetry of a coordinator run: Serilog (console quiet unless --verbose, everything in
/// &lt;run dir&gt;/&lt;study&gt;/coordinator.log.json), the Prometheus endpoint and OTLP. Disposing flushes both.
/// </summary>
public sealed class CoordinatorObservability : IDisposable
{
    public const string LogFileName = "coordinator.log.json";

    private readonly TelemetrySetup _telemetry;
    private readonly SerilogLoggerFactory _loggers;

    private CoordinatorObservability(string logFile, TelemetrySetup telemetry, SerilogLoggerFactory loggers)
    {
        LogFile = logFile;
        _telemetry = telemetry;
        _loggers = loggers;
    }

    public string LogFile { get; }
    public string? MetricsUrl => _telemetry.MetricsUrl;
    public ILoggerFactory Loggers => _loggers;

    public static CoordinatorObservability Start(CoordinatorOptions options, string studyId)
    {
        var observability = options.Observability;
        var configuration = LoggingSetup.LoadConfiguration(observability.LogLevel);
        var telemetry = new TelemetrySettings
        {
            ServiceName = RnnSearchTelemetry.CoordinatorService, InstanceId = studyId,
            MetricsPort = observability.MetricsPort, MetricsHost = observability.MetricsHost,
            ResourceAttributes = new Dictionary<string, object> { ["rnnsearch.node.role"] = ClusterConstants.CoordinatorRole, ["rnnsearch.study.id"] = studyId },
        }.WithOtlpFrom(configuration);
        var logFile = Path.Combine(observability.LogDirectory ?? Path.Combine(options.RunDirectory, studyId), LogFileName);
        var logger = LoggingSetup.AddRnnSearchLogging(new LoggingSettings
        {
            Role = ClusterConstants.CoordinatorRole, FilePath = logFile,
            LogLevel = observability.LogLevel, ConsoleLevel = options.Verbose ? LogEventLevel.Information : LogEventLevel.Warning,
            // Akka warns about passing states while the cluster forms (e.g. the singleton proxy at start): file only, unless --verbose.
            ConsoleAkkaLevel = options.Verbose ? LogEventLevel.Warning : LogEventLevel.Error,
            ConsoleToStandardError = true, Telemetry = telemetry,
            Properties = new Dictionary<string, object> { [LogProperties.StudyId] = studyId },
        }, configuration);
        var loggers = new SerilogLoggerFactory(logger);
        return new CoordinatorObservability(logFile, TelemetrySetup.AddRnnSearchTelemetry(telemetry, loggers.CreateLogger("RnnSearch.Telemetry")), loggers);
    }

    /// <summary>Trainers started by this coordinator log next to it and get their own metrics ports (coordinator port + 1, + 2, …).</summary>
    public static IReadOnlyList<string> TrainerArguments(ObservabilityOptions observability, string logDirectory, int index)
    {
        List<string> arguments = ["--log-dir", logDirectory, "--metrics-host", observability.MetricsHost,
            "--metrics-port", (observability.MetricsPort > 0 ? observability.MetricsPort + index + 1 : 0).ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (observability.LogLevel is { } level) arguments.AddRange(["--log-level", level]);
        return arguments;
    }

    public void Dispose()
    {
        _telemetry.Dispose();
        _loggers.Dispose();
        Log.CloseAndFlush();
    }
}
