using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using RnnSearch.Coordinator.Actors;
using RnnSearch.Coordinator.Hosting;
using RnnSearch.Coordinator.Store;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Coordinator.Web;

/// <summary>
/// The read-only JSON API behind the web UI: the study's progress, its trials (running and finished), a trial's
/// epochs, every learning curve, the trainer nodes, the live leaderboard. docs/web-and-report.md lists the fields.
/// </summary>
public static class StudyApi
{
    public static void MapStudyApi(this WebApplication app)
    {
        var source = app.Services.GetService<StudyWebSource>()
                     ?? StudyWebSource.ForRun(app.Services.GetRequiredService<StudyContext>(), app.Services.GetRequiredService<CoordinatorOptions>().StorePath);

        app.MapGet("/api/study", () =>
        {
            using var store = source.OpenStore();
            var rows = store.LoadTrialRows(source.StudyId);
            var snapshot = source.Progress?.Current;
            var done = snapshot?.Done ?? rows.Count(r => r.State == "done");
            var total = snapshot?.Total ?? rows.Count;
            var running = snapshot?.Running.Count ?? rows.Count(r => r.State == "running");
            return Results.Json(new
            {
                id = source.StudyId, name = source.Name, description = source.Description, live = source.Live, complete = source.IsComplete(store),
                total, done, failed = snapshot?.Failed ?? rows.Count(r => r.Status == "failed"), running, pending = total - done - running,
                started = snapshot?.Started ?? store.FindStudy(source.StudyId)?.Created, eta_seconds = snapshot?.Eta(DateTimeOffset.UtcNow)?.TotalSeconds,
                nodes = snapshot?.Nodes ?? [],
                tasks = rows.Select(r => r.Task).Distinct().Select(t => new { task = t, metric = TaskCatalog.Get(t).MetricName }),
            });
        });

        app.MapGet("/api/trials", (string? state) =>
        {
            using var store = source.OpenStore();
            var trials = TrialViews(store, source);
            return Results.Json(state is null ? trials : trials.Where(t => t.State.Equals(state, StringComparison.OrdinalIgnoreCase)));
        });

        app.MapGet("/api/trials/{id:long}/epochs", (long id) =>
        {
            using var store = source.OpenStore();
            var row = store.LoadTrialRows(source.StudyId).FirstOrDefault(r => r.Id == id);
            if (row is null || store.LoadEpochs(source.StudyId, id) is not { } found) return Results.NotFound(new { error = $"no trial {id} in study {source.StudyId}" });
            var epochs = found.Epochs.Select(e => e with { TrainLoss = Finite(e.TrainLoss), ValidMetric = Finite(e.ValidMetric) }).ToList();
            return Results.Json(new EpochsView(id, found.AttemptId, row.State, row.Task, TaskCatalog.Get(row.Task).MetricName, epochs));
        });

        app.MapGet("/api/curves", () =>
        {
            using var store = source.OpenStore();
            return Results.Json(store.LoadCurves(source.StudyId).Select(c => new CurveView(c.Key, c.Value.Select(p => new[] { p.Epoch, p.Valid }).ToList())));
        });

        app.MapGet("/api/nodes", () =>
        {
            using var store = source.OpenStore();
            return Results.Json(NodeSummaries(store.LoadTrialRows(source.StudyId), source.Progress?.Current));
        });

        app.MapGet("/api/leaderboard", () =>
        {
            using var store = source.OpenStore();
            return Results.Json(source.Leaderboard(store));
        });
    }

    /// <summary>Every trial of the study, running ones with their live epoch, slot and best validation metric.</summary>
    public static IReadOnlyList<TrialView> TrialViews(StudyStore store, StudyWebSource source)
    {
        var live = source.Progress?.Current.Running.ToDictionary(r => r.TrialId) ?? [];
        return store.LoadTrialRows(source.StudyId).Select(r =>
        {
            var running = live.GetValueOrDefault(r.Id);
            var state = running is not null ? "running" : r.State;
            return new TrialView(r.Id, r.CurrentAttempt, r.CandidateId, r.Task, r.Cell, r.Family, r.Depth, r.Budget, r.Spec, r.Phase, r.Seed,
                state, r.State == "done" ? r.Status : null, running?.NodeId ?? r.NodeId, running?.Slot, running?.Epoch, Finite(running?.ValidMetric ?? r.ValidMetric),
                Finite(r.TestMetric), r.Epochs, r.BestEpoch, r.TrainSeconds, r.Attempts, running?.Started, r.CompletedAt, r.Error);
        }).ToList();
    }

    /// <summary>Nodes the coordinator knows now (with their slots) and nodes the store recorded trials on.</summary>
    public static IReadOnlyList<NodeSummary> NodeSummaries(IReadOnlyList<StoredTrial> rows, StudyProgress.Snapshot? snapshot)
    {
        var liveNodes = snapshot?.Nodes.ToDictionary(n => n.NodeId) ?? [];
        var ids = liveNodes.Keys.Concat(rows.Where(r => r.NodeId is not null).Select(r => r.NodeId!)).Distinct().Order(StringComparer.Ordinal);
        return ids.Select(id =>
        {
            var node = liveNodes.GetValueOrDefault(id);
            var mine = rows.Where(r => r.NodeId == id).ToList();
            var running = snapshot is not null
                ? snapshot.Running.Where(r => r.NodeId == id).Select(r => r.TrialId).Order().ToList()
                : mine.Where(r => r.State == "running").Select(r => r.Id).ToList();
            return new NodeSummary(id, node is not null, node?.Address, node?.Device ?? mine.Select(r => r.Device).LastOrDefault(d => !string.IsNullOrEmpty(d)),
                node?.Slots, node?.Busy, node is null ? null : Math.Max(0, node.Slots - node.Busy), node?.LastSeen, running,
                mine.Count(r => r.State == "done" && r.Status != "failed"), mine.Count(r => r.Status == "failed"), mine.Sum(r => r.TrainSeconds ?? 0));
        }).ToList();
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
