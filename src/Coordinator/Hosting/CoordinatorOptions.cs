using RnnSearch.Shared.Hosting;

namespace RnnSearch.Coordinator.Hosting;

/// <summary>Options of <c>run</c>: where the store and checkpoints go, the cluster address, local trainers, the web UI.</summary>
public sealed record CoordinatorOptions
{
    public required string Study { get; init; }
    public string StorePath { get; init; } = Store.StudyStore.DefaultPath;
    public string? CheckpointDirectory { get; init; }
    public ClusterSettings Cluster { get; init; } = new() { Port = ClusterConstants.DefaultCoordinatorPort };
    public int LocalTrainers { get; init; }
    public int TrainerSlots { get; init; } = 1;
    public int? TrainerThreads { get; init; }
    public string? TrainerCommand { get; init; }
    public string? DataDirectory { get; init; }
    /// <summary>host:port of the web UI and JSON API; null to serve none.</summary>
    public string? Http { get; init; } = "127.0.0.1:5080";
    /// <summary>Bearer token the web UI and API require (--http-token or RNNSEARCH_HTTP_TOKEN); null: no token.</summary>
    public Web.HttpToken? HttpToken { get; init; }
    public bool Json { get; init; }
    public bool DryRun { get; init; }
    public bool Verbose { get; init; }
    public Shared.Telemetry.ObservabilityOptions Observability { get; init; } = new() { MetricsPort = Shared.Telemetry.TelemetrySettings.DefaultCoordinatorMetricsPort };

    public string RunDirectory => Path.GetDirectoryName(Path.GetFullPath(StorePath))!;
}
