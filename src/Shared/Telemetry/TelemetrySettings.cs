using Microsoft.Extensions.Configuration;

namespace RnnSearch.Shared.Telemetry;

/// <summary>
/// Where a node's traces, metrics and logs go. The Prometheus scrape endpoint is on by default (loopback); OTLP is
/// on only when an endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT or OpenTelemetry:Otlp:Endpoint).
/// </summary>
public sealed record TelemetrySettings
{
    public const int DefaultCoordinatorMetricsPort = 9464;
    public const int DefaultTrainerMetricsPort = 9465;

    public required string ServiceName { get; init; }
    /// <summary>service.instance.id: the node id (trainer) or the study id (coordinator).</summary>
    public required string InstanceId { get; init; }
    /// <summary>Port of the Prometheus scrape endpoint (/metrics); 0 for none.</summary>
    public int MetricsPort { get; init; }
    /// <summary>Address it listens on; "*" (or 0.0.0.0) for every interface.</summary>
    public string MetricsHost { get; init; } = "127.0.0.1";
    /// <summary>OTLP endpoint (e.g. http://collector:4317); null for no OTLP export.</summary>
    public Uri? OtlpEndpoint { get; init; }
    /// <summary>grpc (default) or http/protobuf.</summary>
    public string OtlpProtocol { get; init; } = "grpc";
    public IReadOnlyDictionary<string, object> ResourceAttributes { get; init; } = new Dictionary<string, object>();

    /// <summary>OTLP settings from configuration: OpenTelemetry:Otlp:Endpoint/Protocol, else the standard OTEL_EXPORTER_OTLP_* variables.</summary>
    public TelemetrySettings WithOtlpFrom(IConfiguration configuration)
    {
        static string? Value(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        var endpoint = Value(configuration["OpenTelemetry:Otlp:Endpoint"]) ?? Value(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var protocol = Value(configuration["OpenTelemetry:Otlp:Protocol"]) ?? Value(configuration["OTEL_EXPORTER_OTLP_PROTOCOL"]) ?? "grpc";
        if (endpoint is null) return this with { OtlpEndpoint = null };
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"OTLP endpoint '{endpoint}': expected an http(s) URL such as http://localhost:4317");
        if (protocol is not ("grpc" or "http/protobuf"))
            throw new ArgumentException($"OTLP protocol '{protocol}': expected grpc or http/protobuf");
        return this with { OtlpEndpoint = uri, OtlpProtocol = protocol };
    }

    /// <summary>The HttpListener host: its wildcard is "*" (it does not treat 0.0.0.0 or :: as "any").</summary>
    public string ListenerHost => MetricsHost is "0.0.0.0" or "::" or "[::]" or "+" ? "*" : MetricsHost;

    public void Validate()
    {
        if (MetricsPort is < 0 or > 65535) throw new ArgumentException($"--metrics-port {MetricsPort}: must be from 0 to 65535");
        if (string.IsNullOrWhiteSpace(MetricsHost)) throw new ArgumentException("--metrics-host is empty");
    }
}
