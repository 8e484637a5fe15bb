using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Cluster;
using static RnnSearch.Shared.Telemetry.RnnSearchTelemetry;

namespace RnnSearch.Shared.Telemetry;

/// <summary>
/// rnnsearch_cluster_members{role, status, observer_role}: the cluster as this node sees it (unreachable members
/// counted as status "unreachable"). Every node exports it; dashboards read the coordinator's view.
/// </summary>
public static class ClusterMetrics
{
    private sealed record Observed(Cluster Cluster, string Role);

    private static Observed? _current;

    private static readonly ObservableGauge<int> Members = RnnSearchTelemetry.Meter.CreateObservableGauge(Metrics.ClusterMembers, Observe, "{member}",
        "Cluster members by role and status, as seen by this node");

    /// <summary>Report <paramref name="system"/>'s cluster from now on (until it terminates).</summary>
    public static void Observe(ActorSystem system, string selfRole)
    {
        var observed = new Observed(Cluster.Get(system), selfRole);
        Volatile.Write(ref _current, observed);
        system.WhenTerminated.ContinueWith(_ => Interlocked.CompareExchange(ref _current, null, observed), TaskScheduler.Default);
    }

    private static IEnumerable<Measurement<int>> Observe()
    {
        if (Volatile.Read(ref _current) is not { } current) return [];
        var state = current.Cluster.State;
        var unreachable = state.Unreachable.Select(m => m.UniqueAddress).ToHashSet();
        return state.Members
            .GroupBy(m => (Role: m.Roles.FirstOrDefault() ?? "none", Status: unreachable.Contains(m.UniqueAddress) ? "unreachable" : m.Status.ToString().ToLowerInvariant()))
            .Select(g => new Measurement<int>(g.Count(),
                new KeyValuePair<string, object?>(Tags.Role, g.Key.Role),
                new KeyValuePair<string, object?>(Tags.Status, g.Key.Status),
                new KeyValuePair<string, object?>(Tags.Observer, current.Role)))
            .ToList();
    }
}
