using Akka.Actor;
using Akka.TestKit.Xunit2;
using RnnSearch.Coordinator.Actors;
using RnnSearch.Coordinator.Store;
using RnnSearch.Coordinator.Studies;
using RnnSearch.Shared.Protocol;

namespace RnnSearch.Coordinator.Tests;

public class StudyCoordinatorActorTests : TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private (IActorRef Actor, StudyContext Context) Start(string toml = TestStudies.Tiny)
    {
        var study = TestStudies.Parse(toml);
        var candidates = CandidateGenerator.Expand(study).Candidates;
        var scheduler = new TrialScheduler(study, candidates, []);
        var store = StudyStore.Open(Path.Combine(TestStudies.TemporaryDirectory(), "s.db"));
        store.CreateStudy(study, candidates, scheduler.CreateInitialTrials());
        var context = new StudyContext(study, store, scheduler, TestStudies.TemporaryDirectory(), exitTrainersWhenDone: true);
        return (Sys.ActorOf(StudyCoordinatorActor.Props(context)), context);
    }

    private static TrialFinished Finished(AssignTrial a, string node, double test = 9.0) =>
        new(a.TrialId, a.AttemptId, node, a.Slot, "ok", 2, 2, 20000, test - 0.1, test, 1.0, "cpu", 0, null, [new EpochRecordMessage(1, 10, test, 0.5, 1000)], 11, null);

    [Fact]
    public void A_slot_that_asks_gets_a_trial_and_its_result_is_recorded_exactly_once()
    {
        var (coordinator, context) = Start();
        var trainer = CreateTestProbe();
        coordinator.Tell(new TrainerHello("t1", 1, "cpu", 1, ProtocolVersion.Current, []), trainer);
        coordinator.Tell(new RequestTrial("t1", 0), trainer);
        var assignment = trainer.ExpectMsg<AssignTrial>(Wait);
        Assert.Equal("jsb", assignment.Task);
        Assert.Contains("hidden=", assignment.Spec);

        coordinator.Tell(Finished(assignment, "t1"), trainer);
        coordinator.Tell(Finished(assignment, "t1"), trainer); // resent: the ack was lost
        trainer.ExpectMsg<TrialFinishedAck>(Wait);
        trainer.ExpectMsg<TrialFinishedAck>(Wait);
        AwaitCondition(() => context.Progress.Current.Done == 1, Wait);
        Assert.Equal(1, context.Store.LoadTrials(context.Study.Id).Count(t => t.State == TrialState.Done));
    }

    [Fact]
    public void Trials_of_a_trainer_that_dies_are_requeued_and_its_late_result_is_ignored()
    {
        var (coordinator, context) = Start();
        var doomed = CreateTestProbe();
        var survivor = CreateTestProbe();
        coordinator.Tell(new TrainerHello("doomed", 1, "cpu", 1, ProtocolVersion.Current, []), doomed);
        coordinator.Tell(new RequestTrial("doomed", 0), doomed);
        var lost = doomed.ExpectMsg<AssignTrial>(Wait);
        AwaitCondition(() => context.Progress.Current.Running.Count == 1, Wait);
        Sys.Stop(doomed.Ref);
        AwaitCondition(() => context.Progress.Current.Running.Count == 0, Wait);

        coordinator.Tell(new TrainerHello("survivor", 1, "cpu", 1, ProtocolVersion.Current, []), survivor);
        coordinator.Tell(new RequestTrial("survivor", 0), survivor);
        var retry = survivor.ExpectMsg<AssignTrial>(Wait);
        Assert.Equal(lost.TrialId, retry.TrialId);
        Assert.NotEqual(lost.AttemptId, retry.AttemptId);
        // The dead trainer's result arrives late (e.g. from a partition): ignored, the new attempt counts.
        coordinator.Tell(Finished(lost, "doomed", 5.0), survivor);
        survivor.ExpectMsg<TrialFinishedAck>(Wait);
        coordinator.Tell(Finished(retry, "survivor", 9.0), survivor);
        survivor.ExpectMsg<TrialFinishedAck>(Wait);
        AwaitCondition(() => context.Progress.Current.Done == 1, Wait);
        var trial = context.Store.LoadTrials(context.Study.Id).Single(t => t.Id == lost.TrialId);
        Assert.Equal(9.0, trial.Outcome!.TestMetric);
        Assert.Equal(2, trial.Attempts);
    }

    [Fact]
    public void When_every_trial_is_recorded_the_study_completes_and_trainers_are_told()
    {
        var (coordinator, context) = Start();
        var trainer = CreateTestProbe();
        coordinator.Tell(new TrainerHello("t1", 1, "cpu", 1, ProtocolVersion.Current, []), trainer);
        for (var i = 0; i < 9; i++)
        {
            coordinator.Tell(new RequestTrial("t1", 0), trainer);
            var assignment = trainer.ExpectMsg<AssignTrial>(Wait);
            coordinator.Tell(Finished(assignment, "t1", 9 + i * 0.01), trainer);
            trainer.ExpectMsg<TrialFinishedAck>(Wait);
        }
        trainer.ExpectMsg<StudyComplete>(Wait);
        AwaitCondition(() => context.Completion.Task.IsCompleted, Wait);
        coordinator.Tell(new RequestTrial("t1", 0), trainer);
        Assert.True(trainer.ExpectMsg<NoTrialAvailable>(Wait).StudyDone);
    }

    [Fact]
    public void Asha_stops_a_weak_tuning_draw_at_a_rung()
    {
        // One candidate (ASHA compares the draws of a candidate) whose first three draws may run at once.
        var (coordinator, _) = Start(TestStudies.Tuned.Replace("placements = [\"baseline\", \"deep-input\"]", "placements = [\"baseline\"]").Replace("draws = 4", "draws = 4\nparallel = 3"));
        var trainer = CreateTestProbe();
        coordinator.Tell(new TrainerHello("t1", 3, "cpu", 1, ProtocolVersion.Current, []), trainer);
        var draws = Enumerable.Range(0, 3).Select(slot =>
        {
            coordinator.Tell(new RequestTrial("t1", slot), trainer);
            return trainer.ExpectMsg<AssignTrial>(Wait);
        }).ToList();
        coordinator.Tell(new EpochReport(draws[0].TrialId, draws[0].AttemptId, "t1", 1, 10, 9.0, 1, 1, 9.0), trainer);
        coordinator.Tell(new EpochReport(draws[1].TrialId, draws[1].AttemptId, "t1", 1, 10, 8.0, 1, 1, 8.0), trainer);
        coordinator.Tell(new EpochReport(draws[2].TrialId, draws[2].AttemptId, "t1", 1, 10, 12.0, 1, 1, 12.0), trainer);
        var stop = trainer.ExpectMsg<StopTrial>(Wait);
        Assert.Equal(draws[2].TrialId, stop.TrialId);
        trainer.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_trainer_of_another_protocol_version_is_ignored()
    {
        var (coordinator, context) = Start();
        var trainer = CreateTestProbe();
        coordinator.Tell(new TrainerHello("old", 1, "cpu", 1, ProtocolVersion.Current + 1, []), trainer);
        AwaitCondition(() => context.Progress.Current.Total > 0, Wait);
        Assert.Empty(context.Progress.Current.Nodes);
    }
}
