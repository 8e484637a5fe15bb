using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RnnSearch.Shared.Hosting;
using RnnSearch.TrainerNode.Actors;

namespace RnnSearch.TrainerNode.Hosting;

/// <summary>
/// Runs a trainer node until it is told to stop. When the cluster removes this node (the coordinator died or this
/// node was unreachable too long, e.g. stopped with SIGSTOP), the actor system ends; the node then starts a fresh
/// one and joins again through the seed nodes, so trainers come back by themselves when the coordinator returns.
/// </summary>
public static class TrainerNodeHost
{
    public static async Task<int> RunAsync(ClusterSettings cluster, TrainerNodeOptions options, Action<ILoggingBuilder> configureLogging, CancellationToken shutdown)
    {
        var incarnation = 0;
        while (!shutdown.IsCancellationRequested)
        {
            incarnation++;
            var nodeOptions = options with { NodeId = $"{options.NodeId}/{incarnation}" };
            using var host = Build(cluster, nodeOptions, configureLogging);
            var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RnnSearch.TrainerNode");
            await host.StartAsync(shutdown);
            var system = host.Services.GetRequiredService<ActorSystem>();
            var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
            log.LogInformation("Trainer node {NodeId} ({Slots} slot(s), {Threads} thread(s), {Device}) joining {Seeds}",
                nodeOptions.NodeId, options.Slots, options.Threads, options.Device, string.Join(", ", cluster.SeedNodes));

            var stopping = new TaskCompletionSource();
            using var onStop = lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
            using var onShutdown = shutdown.Register(() => stopping.TrySetResult());
            await Task.WhenAny(system.WhenTerminated, stopping.Task);
            // Downed by the cluster (the coordinator died, or this node was unreachable too long) or the coordinator left: the actor
            // system shut itself down and Akka.Hosting stopped the host. Anything else is a real stop request.
            var downed = CoordinatedShutdown.Get(system).ShutdownReason is CoordinatedShutdown.ClusterDowningReason or TrainerNodeActor.CoordinatorLostReason && !shutdown.IsCancellationRequested;
            await host.StopAsync(CancellationToken.None);
            // The actor cancelled its trials when it stopped; let their threads leave libtorch before going on.
            if (!TrialThreads.WaitAll(TimeSpan.FromSeconds(60))) log.LogWarning("A trial thread did not stop within 60 s");
            if (!downed) return 0;
            log.LogWarning("Trainer node {NodeId} was removed from the cluster; starting again and rejoining in 2 s", nodeOptions.NodeId);
            await Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None);
        }
        return 0;
    }

    private static IHost Build(ClusterSettings cluster, TrainerNodeOptions options, Action<ILoggingBuilder> configureLogging)
    {
        // No configuration reload: its file watcher covers the working directory recursively and wakes on every log or store write there.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        configureLogging(builder.Logging);
        builder.Services.AddAkka(ClusterConstants.SystemName, (akka, services) =>
        {
            akka.WithRnnSearchObservability(ClusterConstants.TrainerRole)
                .WithRnnSearchCluster(cluster, ClusterConstants.TrainerRole)
                .WithSingletonProxy<StudyCoordinatorKey>(ClusterConstants.StudySingletonName, new ClusterSingletonOptions { Role = ClusterConstants.CoordinatorRole })
                .WithActors((system, registry) =>
                {
                    var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
                    var trialLog = services.GetRequiredService<ILoggerFactory>().CreateLogger("RnnSearch.Trial");
                    var node = system.ActorOf(TrainerNodeActor.Props(registry.Get<StudyCoordinatorKey>(), options, lifetime.StopApplication, trialLog), "trainer");
                    registry.Register<TrainerNodeActor>(node);
                    // Graceful leave: running trials are handed back to the coordinator before the node leaves.
                    CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "hand-back-trials", async () =>
                    {
                        try
                        {
                            await node.Ask<Akka.Done>(TrainerNodeActor.Leave.Instance, TimeSpan.FromSeconds(3));
                            await Task.Delay(TimeSpan.FromMilliseconds(500)); // let remoting deliver the hand-back
                        }
                        catch (Exception) { /* the node is going away anyway */ }
                        return Akka.Done.Instance;
                    });
                });
        });
        return builder.Build();
    }
}
