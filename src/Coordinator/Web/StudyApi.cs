using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RnnSearch.Coordinator.Actors;
using RnnSearch.Coordinator.Hosting;
using RnnSearch.Coordinator.Leaderboard;
using RnnSearch.Coordinator.Store;

namespace RnnSearch.Coordinator.Web;

/// <summary>The read-only JSON API behind the web UI: the study's progress, its trials, the live leaderboard.</summary>
public static class StudyApi
{
    public static void MapStudyApi(this WebApplication app)
    {
        app.MapGet("/api/study", (StudyContext context) =>
        {
            var snapshot = context.Progress.Current;
            return Results.Json(new
            {
                id = context.Study.Id, name = context.Study.Name, description = context.Study.Description,
                total = snapshot.Total, done = snapshot.Done, failed = snapshot.Failed, running = snapshot.Running.Count, pending = snapshot.Pending,
                started = snapshot.Started, eta_seconds = snapshot.Eta(DateTimeOffset.UtcNow)?.TotalSeconds,
                nodes = snapshot.Nodes,
            });
        });
        app.MapGet("/api/trials", (StudyContext context) => Results.Json(context.Progress.Current.Running));
        app.MapGet("/api/leaderboard", (StudyContext context, CoordinatorOptions options) =>
        {
            using var store = StudyStore.Open(options.StorePath, create: false);
            return Results.Json(LeaderboardBuilder.Build(store, context.Study.Id));
        });
    }
}
