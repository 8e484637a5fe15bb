using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace RnnSearch.Shared.Telemetry;

/// <summary>
/// The process's tracer and meter providers: RnnSearch's source and meter (plus the runtime's own System.Runtime
/// meter), a Prometheus scrape endpoint and, when configured, OTLP. Started once per process, not per host: a
/// trainer node rebuilds its host when it rejoins the cluster, and its counters and /metrics must survive that.
/// </summary>
public sealed class TelemetrySetup : IDisposable
{
    private readonly TracerProvider _tracing;
    private readonly MeterProvider _metrics;

    private TelemetrySetup(TracerProvider tracing, MeterProvider metrics, string? metricsUrl)
    {
        _tracing = tracing;
        _metrics = metrics;
        MetricsUrl = metricsUrl;
    }

    /// <summary>The scrape URL, or null when the endpoint is off or could not bind.</summary>
    public string? MetricsUrl { get; }

    public static TelemetrySetup AddRnnSearchTelemetry(TelemetrySettings settings, ILogger log)
    {
        settings.Validate();
        var tracing = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => Describe(r, settings))
            .AddSource(RnnSearchTelemetry.SourceName)
            .SetSampler(new ParentBasedSampler(new AlwaysOnSampler()));
        if (settings.OtlpEndpoint is not null) tracing.AddOtlpExporter(o => Configure(o, settings, "traces"));

        MeterProvider? metrics = null;
        string? url = null;
        if (settings.MetricsPort > 0)
        {
            try
            {
                metrics = BuildMetrics(settings, prometheus: true);
                url = $"http://{(settings.ListenerHost == "*" ? "0.0.0.0" : settings.ListenerHost)}:{settings.MetricsPort}/metrics";
                log.LogInformation("Prometheus metrics at {MetricsUrl}", url);
            }
            catch (Exception e) when (e is System.Net.HttpListenerException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                // A busy metrics port must not stop a study or a trainer: say so loudly and go on without the endpoint.
                log.LogWarning("No Prometheus endpoint: could not listen on {MetricsHost}:{MetricsPort} ({Reason}); pass --metrics-port with a free port",
                    settings.MetricsHost, settings.MetricsPort, e.Message);
            }
        }
        metrics ??= BuildMetrics(settings, prometheus: false);
        if (settings.OtlpEndpoint is not null)
            log.LogInformation("Exporting traces, metrics and logs over OTLP ({OtlpProtocol}) to {OtlpEndpoint}", settings.OtlpProtocol, settings.OtlpEndpoint);
        return new TelemetrySetup(tracing.Build()!, metrics, url);
    }

    private static MeterProvider BuildMetrics(TelemetrySettings settings, bool prometheus)
    {
        var builder = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => Describe(r, settings))
            .AddMeter(RnnSearchTelemetry.MeterName, "System.Runtime")
            .AddView(RnnSearchTelemetry.Metrics.EpochDuration, new ExplicitBucketHistogramConfiguration { Boundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800] })
            .AddView(RnnSearchTelemetry.Metrics.CheckpointWriteDuration, new ExplicitBucketHistogramConfiguration { Boundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] })
            .AddView(RnnSearchTelemetry.Metrics.DispatchLatency, new ExplicitBucketHistogramConfiguration { Boundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        if (prometheus)
            builder.AddPrometheusHttpListener(o =>
            {
                o.Host = settings.ListenerHost;
                o.Port = settings.MetricsPort;
                o.ScrapeEndpointPath = "/metrics";
            });
        if (settings.OtlpEndpoint is not null) builder.AddOtlpExporter((o, reader) =>
        {
            Configure(o, settings, "metrics");
            reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 10_000;
        });
        return builder.Build()!;
    }

    private static void Describe(ResourceBuilder resource, TelemetrySettings settings) => resource
        .AddService(settings.ServiceName, serviceVersion: RnnSearchTelemetry.Version, serviceInstanceId: settings.InstanceId)
        .AddAttributes(settings.ResourceAttributes);

    private static void Configure(OtlpExporterOptions options, TelemetrySettings settings, string signal)
    {
        var http = settings.OtlpProtocol == "http/protobuf";
        options.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        // An explicit endpoint is used as is for http/protobuf, so the signal's path is ours to add.
        options.Endpoint = http ? new Uri(settings.OtlpEndpoint!, $"{settings.OtlpEndpoint!.AbsolutePath.TrimEnd('/')}/v1/{signal}") : settings.OtlpEndpoint!;
    }

    public void Dispose()
    {
        _tracing.Dispose();
        _metrics.Dispose();
    }
}
