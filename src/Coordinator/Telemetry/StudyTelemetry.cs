using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using RnnSearch.Coordinator.Actors;
using RnnSearch.Coordinator.Studies;
using RnnSearch.Shared.Telemetry;
using static RnnSearch.Shared.Telemetry.RnnSearchTelemetry;

namespace RnnSearch.Coordinator.Telemetry;

/// <summary>
/// Traces and metrics of one study, driven by the study coordinator actor: a "study" span for the run, a "trial"
/// span per attempt (its traceparent travels in AssignTrial, so the trainer's spans join the same trace), the
/// trial counters, and the best metrics per task and family. Only the actor calls the mutating methods.
/// </summary>
public sealed class StudyTelemetry : IDisposable
{
    private readonly StudyContext _context;
    private readonly Activity? _study;
    private readonly Dictionary<(long Trial, long Attempt), Activity> _trials = [];
    private readonly KeyValuePair<string, object?> _studyTag;

    public StudyTelemetry(StudyContext context)
    {
        _context = context;
        _studyTag = new(Tags.Study, context.Study.Id);
        foreach (var trial in context.Scheduler.Trials.Where(t => t.Outcome is not null)) RecordBest(Candidate(trial), trial.Outcome!);
        ZeroCounters();
        CoordinatorMetrics.Register(this);
        if (context.Scheduler.IsComplete) return;

        // The study span is a root: one trace per run of the study (a resumed study starts a new one).
        var previous = Activity.Current;
        Activity.Current = null;
        _study = Source.StartActivity(Spans.Study, ActivityKind.Internal, parentContext: default, tags:
        [
            new("rnnsearch.study.id", context.Study.Id), new("rnnsearch.study.name", context.Study.Name),
            new("rnnsearch.study.trials", context.Scheduler.Total), new("rnnsearch.study.done_at_start", context.Scheduler.Done),
        ]);
        Activity.Current = previous;
    }

    internal StudyProgress.Snapshot Progress => _context.Progress.Current;

    internal ConcurrentDictionary<(string Task, string Family), (double Valid, double? Test)> Best { get; } = new();

    /// <summary>The trace id of this run's study span (null when tracing is off).</summary>
    public string? TraceId => _study?.TraceId.ToString();

    /// <summary>A trial attempt was assigned: count it, open its span, return the traceparent for AssignTrial.</summary>
    public string? TrialStarted(TrialRecord trial, string nodeId, int slot)
    {
        var candidate = Candidate(trial);
        CoordinatorMetrics.TrialsStarted.Add(1, _studyTag, new(Tags.Family, candidate.Family), new(Tags.Task, candidate.Task));
        // Stays Activity.Current for the rest of the handler (Enter restores it), so the assignment's log line joins the trace.
        var activity = Source.StartActivity(Spans.Trial, ActivityKind.Producer, _study?.Context ?? default, tags:
        [
            new("rnnsearch.study.id", _context.Study.Id), new("rnnsearch.trial.id", trial.Id), new("rnnsearch.trial.attempt", trial.CurrentAttempt),
            new("rnnsearch.trial.phase", trial.Phase.ToString().ToLowerInvariant()), new("rnnsearch.trial.seed", trial.Seed),
            new("rnnsearch.task", candidate.Task), new("rnnsearch.family", candidate.Family), new("rnnsearch.spec", candidate.Spec),
            new("rnnsearch.node", nodeId), new("rnnsearch.slot", slot),
        ]);
        if (activity is null) return null;
        activity.DisplayName = $"trial {trial.Id}";
        if (_trials.Remove((trial.Id, trial.CurrentAttempt), out var stale)) stale.Dispose();
        _trials[(trial.Id, trial.CurrentAttempt)] = activity;
        return TraceParent.From(activity);
    }

    /// <summary>
    /// While a message about a trial is handled, its span is Activity.Current: Akka captures it with each log event,
    /// so the coordinator's log lines about the trial carry its trace id. Restores the previous current on dispose.
    /// </summary>
    public IDisposable Enter(object message)
    {
        var previous = Activity.Current;
        (long, long)? key = message switch
        {
            Shared.Protocol.EpochReport m => (m.TrialId, m.AttemptId),
            Shared.Protocol.TrialFinished m => (m.TrialId, m.AttemptId),
            Shared.Protocol.HandBackTrial m => (m.TrialId, m.AttemptId),
            _ => null,
        };
        if (key is { } k && _trials.TryGetValue(k, out var activity)) Activity.Current = activity;
        return new Restore(previous);
    }

    private sealed class Restore(Activity? previous) : IDisposable
    {
        public void Dispose() => Activity.Current = previous;
    }

    /// <summary>A result was recorded (or the trial failed for good): count it by status, close the span, update the best metrics.</summary>
    public void TrialEnded(TrialRecord trial, long attempt, TrialOutcome outcome)
    {
        var candidate = Candidate(trial);
        KeyValuePair<string, object?> family = new(Tags.Family, candidate.Family), task = new(Tags.Task, candidate.Task);
        CoordinatorMetrics.TrialsCompleted.Add(1, _studyTag, family, task, new(Tags.Status, outcome.Status));
        if (outcome.Status == "failed") CoordinatorMetrics.TrialsFailed.Add(1, _studyTag, family, task);
        if (outcome.Status == "diverged") CoordinatorMetrics.TrialsDiverged.Add(1, _studyTag, family, task);
        RecordBest(candidate, outcome);
        if (!_trials.Remove((trial.Id, attempt), out var activity)) return;
        activity.SetTag("rnnsearch.trial.status", outcome.Status);
        activity.SetTag("rnnsearch.trial.epochs", outcome.Epochs);
        if (outcome.ValidMetric is { } valid) activity.SetTag("rnnsearch.trial.valid_metric", valid);
        if (outcome.TestMetric is { } test) activity.SetTag("rnnsearch.trial.test_metric", test);
        if (outcome.Status is "failed" or "diverged") activity.SetStatus(ActivityStatusCode.Error, outcome.Error ?? outcome.Status);
        else activity.SetStatus(ActivityStatusCode.Ok);
        activity.Dispose();
    }

    /// <summary>An attempt was given up (and queued again unless it was the last one).</summary>
    public void TrialRequeued(TrialRecord trial, long attempt, string reason)
    {
        var candidate = Candidate(trial);
        CoordinatorMetrics.TrialsRequeued.Add(1, _studyTag, new(Tags.Family, candidate.Family), new(Tags.Task, candidate.Task));
        if (!_trials.Remove((trial.Id, attempt), out var activity)) return;
        activity.SetTag("rnnsearch.trial.status", "requeued");
        activity.SetStatus(ActivityStatusCode.Error, reason);
        activity.Dispose();
    }

    /// <summary>Every trial is recorded: close the study span.</summary>
    public void StudyCompleted()
    {
        if (_study is null || _study.IsStopped) return;
        _study.SetTag("rnnsearch.study.done", _context.Scheduler.Done);
        _study.SetStatus(ActivityStatusCode.Ok);
        _study.Stop();
    }

    internal Measurement<T> Measure<T>(T value, params (string Key, object? Value)[] tags) where T : struct =>
        new(value, [_studyTag, .. tags.Select(t => new KeyValuePair<string, object?>(t.Key, t.Value))]);

    private Candidate Candidate(TrialRecord trial) => _context.Scheduler.Candidate(trial.CandidateId);

    private void RecordBest(Candidate candidate, TrialOutcome outcome)
    {
        if (outcome.ValidMetric is not { } valid || !double.IsFinite(valid) || outcome.Status is "failed" or "diverged") return;
        Best.AddOrUpdate((candidate.Task, candidate.Family), (valid, outcome.TestMetric),
            (_, best) => valid < best.Valid ? (valid, outcome.TestMetric) : best);
    }

    /// <summary>Series start at 0, so rate() and alerts see the first trial, and dashboards show every family.</summary>
    private void ZeroCounters()
    {
        foreach (var (family, task) in _context.Scheduler.Candidates.Select(c => (c.Family, c.Task)).Distinct())
        {
            KeyValuePair<string, object?> f = new(Tags.Family, family), t = new(Tags.Task, task);
            CoordinatorMetrics.TrialsStarted.Add(0, _studyTag, f, t);
            CoordinatorMetrics.TrialsFailed.Add(0, _studyTag, f, t);
            CoordinatorMetrics.TrialsDiverged.Add(0, _studyTag, f, t);
            CoordinatorMetrics.TrialsRequeued.Add(0, _studyTag, f, t);
            foreach (var status in new[] { "ok", "stopped", "diverged", "failed" })
                CoordinatorMetrics.TrialsCompleted.Add(0, _studyTag, f, t, new(Tags.Status, status));
        }
    }

    public void Dispose()
    {
        CoordinatorMetrics.Unregister(this);
        foreach (var activity in _trials.Values)
        {
            activity.SetStatus(ActivityStatusCode.Error, "coordinator stopped");
            activity.Dispose();
        }
        _trials.Clear();
        if (_study is { IsStopped: false })
        {
            _study.SetStatus(ActivityStatusCode.Error, "interrupted");
            _study.Stop();
        }
    }
}
