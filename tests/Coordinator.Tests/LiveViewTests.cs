using RnnSearch.Coordinator.Actors;
using RnnSearch.Coordinator.Store;
using RnnSearch.Coordinator.Studies;
using RnnSearch.Coordinator.Web;

namespace RnnSearch.Coordinator.Tests;

/// <summary>During <c>run</c> the API merges the coordinator's live progress (slots, running trials, epochs) into the stored rows.</summary>
public sealed class LiveViewTests : IDisposable
{
    private readonly string _directory = SyntheticStudy.TemporaryDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Live_progress_merges_into_trials_and_nodes()
    {
        var db = Path.Combine(_directory, "store.db");
        var id = SyntheticStudy.Create(db, complete: false, leaveRunning: 1);
        using var store = StudyStore.Open(db, create: false);
        var definition = StudyFile.Parse(SyntheticStudy.Toml, "synthetic.toml");
        var context = new StudyContext(definition, store, new TrialScheduler(definition, store.LoadCandidates(id), store.LoadTrials(id)), _directory, exitTrainersWhenDone: false);
        var now = DateTimeOffset.UtcNow;
        var trial = store.LoadTrialRows(id).Single(t => t.State == "running");
        context.Progress.Publish(new StudyProgress.Snapshot(20, 19, 0,
            [new StudyProgress.NodeView(trial.NodeId!, "akka.tcp://rnnsearch@127.0.0.1:40001", "cpu", 2, 1, now)],
            [new StudyProgress.RunningView(trial.Id, trial.CurrentAttempt, trial.CandidateId, trial.Spec, "jsb", "final", trial.Seed, trial.NodeId!, 1, 5, 9.125, now)], now));
        var source = StudyWebSource.ForRun(context, db);

        var views = StudyApi.TrialViews(store, source);
        var running = Assert.Single(views, v => v.State == "running");
        Assert.Equal((trial.Id, 5, 9.125, 1), (running.TrialId, running.Epoch!.Value, running.ValidMetric!.Value, running.Slot!.Value));
        Assert.Equal(19, views.Count(v => v.State == "done" && v.Slot is null));

        var nodes = StudyApi.NodeSummaries(store.LoadTrialRows(id), context.Progress.Current);
        var live = Assert.Single(nodes, n => n.Live);
        Assert.Equal((trial.NodeId, 2, 1, 1), (live.NodeId, live.Slots!.Value, live.Busy!.Value, live.Free!.Value));
        Assert.Equal([trial.Id], live.Running);
        var gone = Assert.Single(nodes, n => !n.Live);
        Assert.Null(gone.Slots);
        Assert.Empty(gone.Running);
        Assert.Equal(19, nodes.Sum(n => n.Done));
        Assert.True(source.Live);
        Assert.False(source.IsComplete(store));
    }
}
