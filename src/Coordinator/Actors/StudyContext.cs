using RnnSearch.Coordinator.Store;
using RnnSearch.Coordinator.Studies;

namespace RnnSearch.Coordinator.Actors;

/// <summary>Everything the study coordinator actor works with, built before the actor system starts.</summary>
public sealed class StudyContext(StudyDefinition study, StudyStore store, TrialScheduler scheduler, string checkpointRoot, bool exitTrainersWhenDone)
{
    public StudyDefinition Study { get; } = study;
    public StudyStore Store { get; } = store;
    public TrialScheduler Scheduler { get; } = scheduler;
    public string CheckpointRoot { get; } = checkpointRoot;
    public bool ExitTrainersWhenDone { get; } = exitTrainersWhenDone;
    public StudyProgress Progress { get; } = new();
    /// <summary>Completes when every trial of the study is recorded.</summary>
    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
