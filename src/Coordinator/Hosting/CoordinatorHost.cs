using Akka.Cluster.Hosting;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RnnSearch.Coordinator.Actors;
using RnnSearch.Coordinator.Web;
using RnnSearch.Shared.Hosting;

namespace RnnSearch.Coordinator.Hosting;

/// <summary>The coordinator process: the actor system (seed node, study singleton) and the web UI/API in one host.</summary>
public static class CoordinatorHost
{
    public static WebApplication Build(CoordinatorOptions options, StudyContext context, Action<ILoggingBuilder> configureLogging)
    {
        // No configuration reload: its file watcher covers the working directory recursively and wakes on every store or log write there.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        configureLogging(builder.Logging);
        if (options.Http is { } http) builder.WebHost.UseUrls($"http://{http}");
        else builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(context);
        builder.Services.AddSingleton(options);
        var self = SeedAddress(options);
        var cluster = options.Cluster with { SeedNodes = [self, .. options.Cluster.SeedNodes] };
        builder.Services.AddAkka(ClusterConstants.SystemName, (akka, _) =>
        {
            akka.WithRnnSearchObservability(ClusterConstants.CoordinatorRole)
                .WithRnnSearchCluster(cluster, ClusterConstants.CoordinatorRole)
                .WithSingleton<StudyCoordinatorKey>(ClusterConstants.StudySingletonName, StudyCoordinatorActor.Props(context),
                    new ClusterSingletonOptions { Role = ClusterConstants.CoordinatorRole })
                .WithActors((system, _) => system.ActorOf(Akka.Actor.Props.Create(() => new TrainerReaperActor()), "trainer-reaper"));
        });
        var app = builder.Build();
        app.UseStudyWebAccess(options.HttpToken, options.Http);
        app.MapStudyApi();
        app.MapStudyUi();
        return app;
    }

    public static string SeedAddress(CoordinatorOptions options) =>
        $"{options.Cluster.Scheme}://{ClusterConstants.SystemName}@{options.Cluster.PublicHostname ?? options.Cluster.Hostname}:{options.Cluster.Port}";
}
