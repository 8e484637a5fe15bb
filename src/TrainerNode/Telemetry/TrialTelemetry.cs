using System.Diagnostics;
using RnnSearch.Shared.Logging;
using RnnSearch.Shared.Protocol;
using RnnSearch.Shared.Telemetry;
using RnnSearch.TrainerNode.Training;
using static RnnSearch.Shared.Telemetry.RnnSearchTelemetry;

namespace RnnSearch.TrainerNode.Telemetry;

/// <summary>
/// Wraps one trial on its training thread: continues the coordinator's trace (AssignTrial.TraceParent) with a
/// "trial.train" span, puts StudyId/TrialId/AttemptId/Slot on every log event of the thread, and feeds the
/// epoch metrics. Epoch and checkpoint spans are opened by the trial runner below it on the same thread.
/// </summary>
internal static class TrialTelemetry
{
    public static TrialResult Run(AssignTrial assignment, string nodeId, Func<Action<EpochProgress>, TrialResult> run, Action<EpochProgress> onEpoch)
    {
        using var logContext = TrialLogContext.Push(
        [
            new(LogProperties.StudyId, assignment.StudyId), new(LogProperties.TrialId, assignment.TrialId),
            new(LogProperties.AttemptId, assignment.AttemptId), new(LogProperties.Slot, assignment.Slot),
        ]);
        using var activity = Source.StartActivity(Spans.Train, ActivityKind.Consumer, TraceParent.Parse(assignment.TraceParent), tags:
        [
            new("rnnsearch.study.id", assignment.StudyId), new("rnnsearch.trial.id", assignment.TrialId), new("rnnsearch.trial.attempt", assignment.AttemptId),
            new("rnnsearch.task", assignment.Task), new("rnnsearch.family", assignment.Family), new("rnnsearch.spec", assignment.Spec),
            new("rnnsearch.trial.seed", assignment.Seed), new("rnnsearch.node", nodeId), new("rnnsearch.slot", assignment.Slot),
        ]);
        TrainerMetrics.TrialStarted(nodeId, assignment);
        try
        {
            var result = run(progress =>
            {
                TrainerMetrics.EpochFinished(nodeId, assignment, progress);
                onEpoch(progress);
            });
            if (activity is not null)
            {
                activity.SetTag("rnnsearch.trial.status", result.Status);
                activity.SetTag("rnnsearch.trial.epochs", result.Epochs);
                activity.SetTag("rnnsearch.trial.params", result.Params);
                if (result.ValidMetric is { } valid) activity.SetTag("rnnsearch.trial.valid_metric", valid);
                if (result.TestMetric is { } test) activity.SetTag("rnnsearch.trial.test_metric", test);
                if (result.Status is TrialStatus.Failed or TrialStatus.Diverged) activity.SetStatus(ActivityStatusCode.Error, result.Error ?? result.Status);
            }
            return result;
        }
        finally
        {
            TrainerMetrics.TrialEnded(nodeId, assignment);
        }
    }

    /// <summary>An "epoch" span (null when nobody listens); the runner adds the epoch's numbers when it has them.</summary>
    public static Activity? StartEpoch(int epoch)
    {
        var activity = Source.StartActivity(Spans.Epoch);
        activity?.SetTag("rnnsearch.epoch", epoch);
        return activity;
    }

    /// <summary>A "checkpoint.write" span plus the duration histogram, both closed on dispose.</summary>
    public static IDisposable CheckpointWrite(string directory) => new CheckpointScope(Source.StartActivity(Spans.Checkpoint), directory);

    private sealed class CheckpointScope : IDisposable
    {
        private readonly Activity? _activity;
        private readonly long _started = Stopwatch.GetTimestamp();

        public CheckpointScope(Activity? activity, string directory)
        {
            _activity = activity;
            _activity?.SetTag("rnnsearch.checkpoint.directory", directory);
        }

        public void Dispose()
        {
            TrainerMetrics.CheckpointWriteDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds);
            _activity?.Dispose();
        }
    }
}
