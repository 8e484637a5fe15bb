using Akka.Cluster;
using Akka.Hosting;
using RnnSearch.Shared.Logging;
using RnnSearch.Shared.Telemetry;

namespace RnnSearch.Shared.Hosting;

public static class AkkaObservabilitySetup
{
    /// <summary>Akka's logs into Serilog, NodeAddress on every event once the node has its address, the cluster gauge.</summary>
    public static AkkaConfigurationBuilder WithRnnSearchObservability(this AkkaConfigurationBuilder builder, string role) =>
        builder.WithSerilogLogging().WithActors((system, _) =>
        {
            NodeAddressEnricher.Set(Cluster.Get(system).SelfAddress.ToString());
            ClusterMetrics.Observe(system, role);
        });
}
