using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using RnnSearch.Coordinator.Studies;
using RnnSearch.Coordinator.Telemetry;
using RnnSearch.Shared.Logging;
using RnnSearch.Shared.Protocol;

namespace RnnSearch.Coordinator.Actors;

/// <summary>
/// The master of work pulling: trainer slots ask for trials, this actor assigns them, records epochs and results in
/// the store, stops weak tuning draws (ASHA), and re-queues the trials of trainers that die, leave or forget them.
/// Decisions live in <see cref="TrialScheduler"/>; this actor moves messages and keeps the node table.
/// Store writes are group-committed: the first write after a commit opens a batch and sends this actor a
/// <see cref="Flush"/>, which the mailbox delivers after the messages already queued; every write of those messages
/// joins the batch, and their replies (assignments, acknowledgements, …) wait in an outbox until the batch commits.
/// A trainer therefore never hears of an attempt, and no result is acknowledged, before it is durable; under load one
/// commit serves many trials, and when idle a write commits at once.
/// </summary>
public sealed class StudyCoordinatorActor : ReceiveActor, IWithTimers
{
    private sealed record Node(IActorRef Ref, string NodeId, string Device, int Slots, DateTimeOffset LastSeen);
    private sealed class PublishTick { public static readonly PublishTick Instance = new(); }
    private sealed class Flush { public static readonly Flush Instance = new(); }

    /// <summary>A batch commits at the latest after this many writes, even if messages keep arriving.</summary>
    private const int MaxBatchWrites = 1000;

    /// <summary>Graceful stop of the coordinator: stop assigning, tell trainers to stop, put running trials back to pending.</summary>
    public sealed class PrepareShutdown { public static readonly PrepareShutdown Instance = new(); }

    /// <summary>A hello that omits a trial assigned longer ago than this means the trainer lost it.</summary>
    private static readonly TimeSpan ReconcileGrace = TimeSpan.FromSeconds(15);

    private readonly StudyContext _context;
    private readonly ILoggingAdapter _log = Context.GetLogger().WithTrialContext();
    private readonly StudyTelemetry _telemetry;
    private readonly Dictionary<IActorRef, Node> _nodes = [];
    private readonly Dictionary<long, (int Epoch, double Valid)> _lastEpoch = [];
    private readonly Dictionary<(string Spec, double Dropout), string> _specs = [];
    private readonly List<(IActorRef To, object Message)> _outbox = [];
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private DateTimeOffset _lastPublished;
    private bool _completionAnnounced;
    private bool _shuttingDown;

    public ITimerScheduler Timers { get; set; } = null!;

    public StudyCoordinatorActor(StudyContext context)
    {
        _context = context;
        _telemetry = new StudyTelemetry(context);
        Receive<TrainerHello>(OnHello);
        Receive<RequestTrial>(OnRequest);
        Receive<EpochReport>(OnEpoch);
        Receive<TrialFinished>(OnFinished);
        Receive<HandBackTrial>(OnHandBack);
        Receive<Terminated>(t => OnNodeLost(t.ActorRef, "trainer node left the cluster or died"));
        Receive<PublishTick>(_ => Publish());
        Receive<Flush>(_ => Commit());
        Receive<PrepareShutdown>(_ => OnPrepareShutdown());
    }

    private string StudyId => _context.Study.Id;
    private TrialScheduler Scheduler => _context.Scheduler;

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("publish", PublishTick.Instance, TimeSpan.FromSeconds(1));
        Publish();
        CheckCompletion();
    }

    protected override void PostStop()
    {
        // Results written but not acknowledged yet are kept: trainers resend them and the duplicates are ignored.
        if (_context.Store.InBatch) _context.Store.CommitBatch();
        _telemetry.Dispose();
    }

    protected override bool AroundReceive(Receive receive, object message)
    {
        using (TrialLogContext.For(message))
        using (_telemetry.Enter(message))
            return base.AroundReceive(receive, message);
    }

    private void OnHello(TrainerHello hello)
    {
        if (hello.Protocol != ProtocolVersion.Current)
        {
            _log.Warning("Trainer {0} speaks protocol v{1}, this coordinator v{2}: ignored", hello.NodeId, hello.Protocol, ProtocolVersion.Current);
            return;
        }
        var isNew = !_nodes.ContainsKey(Sender);
        Register(hello.NodeId, hello.Device, hello.Slots);
        if (isNew) _log.Info("Trainer {0} joined with {1} slot(s) on {2} at {3}", hello.NodeId, hello.Slots, hello.Device, Sender.Path.Address);

        // Trials this coordinator believes run on the node but the node does not report: the trainer lost them.
        var reported = hello.Running.Select(r => (r.TrialId, r.AttemptId)).ToHashSet();
        var now = DateTimeOffset.UtcNow;
        foreach (var trial in RunningOn(hello.NodeId).Where(t => !reported.Contains((t.Id, t.CurrentAttempt)) && now - t.AssignedAt > ReconcileGrace).ToList())
            Requeue(trial, $"trainer {hello.NodeId} no longer runs it");
        if (_completionAnnounced) Reply(Sender, new StudyComplete(StudyId, _context.ExitTrainersWhenDone));
    }

    private void OnRequest(RequestTrial request)
    {
        if (!_nodes.ContainsKey(Sender)) Register(request.NodeId, "unknown", request.Slot + 1);
        foreach (var stale in RunningOn(request.NodeId).Where(t => t.Slot == request.Slot).ToList())
            Requeue(stale, $"slot {request.Slot} of {request.NodeId} asked for work while holding it");

        if (Scheduler.IsComplete || _shuttingDown)
        {
            Reply(Sender, new NoTrialAvailable(request.Slot, 5000, StudyDone: Scheduler.IsComplete));
            return;
        }
        var trial = Scheduler.Next(request.NodeId, request.Slot, DateTimeOffset.UtcNow);
        if (trial is null)
        {
            Reply(Sender, new NoTrialAvailable(request.Slot, 1000, StudyDone: false));
            return;
        }
        trial.CurrentAttempt = Store.StartAttempt(StudyId, trial, request.NodeId, request.Slot);
        _lastEpoch.Remove(trial.Id);
        var candidate = Scheduler.Candidate(trial.CandidateId);
        var training = _context.Study.TrainingFor(candidate.Task);
        var hyper = trial.Hyper!;
        var spec = WithDropout(candidate.Spec, hyper.Dropout);
        using var logContext = TrialLogContext.Push(trial.Id, trial.CurrentAttempt);
        var traceParent = _telemetry.TrialStarted(trial, request.NodeId, request.Slot);
        Reply(Sender, new AssignTrial(
            trial.Id, trial.CurrentAttempt, StudyId, request.Slot, spec, candidate.Task, training.Length,
            training.MaxEpochs, hyper.LearningRate, hyper.WeightDecay, hyper.BatchSize, training.Bptt, training.ClipNorm,
            training.Patience, _context.Study.Limits.TrialSeconds, training.MaxBatchesPerEpoch, trial.Seed,
            Path.Combine(_context.CheckpointRoot, StudyId, $"trial-{trial.Id}"), traceParent, candidate.Family, ReportEpochs: true, training.LrPatience));
        _log.Info("Trial {0} ({1}) attempt {2} → {3} slot {4}", trial.Id, $"{candidate.Task} {spec} seed {trial.Seed}", trial.CurrentAttempt, request.NodeId, request.Slot);
    }

    private void OnEpoch(EpochReport report)
    {
        if (!IsCurrent(report.TrialId, report.AttemptId, out var trial)) return;
        Store.RecordEpoch(StudyId, report.TrialId, report.AttemptId, report.Epoch, report.TrainLoss, report.ValidMetric, report.Seconds, report.SamplesPerSecond);
        _lastEpoch[report.TrialId] = (report.Epoch, report.BestValid);
        if (Scheduler.ReportEpoch(trial.Id, report.Epoch, report.ValidMetric))
        {
            _log.Info("ASHA stops trial {0} at epoch {1} (valid {2})", trial.Id, report.Epoch, report.ValidMetric.ToString("F4", System.Globalization.CultureInfo.InvariantCulture));
            Reply(Sender, new StopTrial(trial.Id, report.AttemptId, "asha"));
        }
    }

    private void OnFinished(TrialFinished finished)
    {
        if (!IsCurrent(finished.TrialId, finished.AttemptId, out var trial))
        {
            // Acknowledged after the batch commits: the first copy of this result may be in it.
            Reply(Sender, new TrialFinishedAck(finished.TrialId, finished.AttemptId));
            _log.Info("Result of trial {0} attempt {1} ignored: superseded or already recorded", finished.TrialId, finished.AttemptId);
            return;
        }
        var outcome = Scheduler.Classify(trial.Id, new TrialOutcome(finished.Status, finished.ValidMetric, finished.TestMetric, finished.Epochs, finished.BestEpoch, finished.Params,
            finished.TrainSeconds, finished.Device, finished.NodeId, finished.TrivialValidMetric, finished.Error, finished.ResumedFromEpoch));
        var history = finished.History.Select(h => (h.Epoch, h.TrainLoss, h.ValidMetric, h.Seconds, h.SamplesPerSecond)).ToList();
        var recorded = Store.RecordResult(StudyId, trial.Id, finished.AttemptId, outcome, history);
        Reply(Sender, new TrialFinishedAck(finished.TrialId, finished.AttemptId));
        if (!recorded)
        {
            _log.Warning("Store refused the result of trial {0} attempt {1}", trial.Id, finished.AttemptId);
            return;
        }
        _lastEpoch.Remove(trial.Id);
        Store.AddTrials(StudyId, Scheduler.Complete(trial.Id, outcome));
        _telemetry.TrialEnded(trial, finished.AttemptId, outcome);
        _log.Info("Trial {0} {1}: valid {2}, test {3}, {4}", trial.Id, finished.Status, finished.ValidMetric, finished.TestMetric, $"{finished.Epochs} epochs on {finished.NodeId}");
        CheckCompletion();
    }

    private void OnPrepareShutdown()
    {
        _shuttingDown = true;
        Commit();
        foreach (var trial in Scheduler.RunningTrials.ToList())
        {
            var node = _nodes.Values.FirstOrDefault(n => n.NodeId == trial.NodeId);
            node?.Ref.Tell(new StopTrial(trial.Id, trial.CurrentAttempt, "coordinator shutting down"));
        }
        var requeued = _context.Store.ResetRunning(StudyId, "coordinator stopped");
        _log.Info("Coordinator stopping: {0} running trial(s) put back to pending", requeued);
        Sender.Tell(Akka.Done.Instance);
    }

    private void OnHandBack(HandBackTrial handBack)
    {
        if (IsCurrent(handBack.TrialId, handBack.AttemptId, out var trial)) Requeue(trial, $"handed back by {handBack.NodeId}: {handBack.Reason}");
    }

    private void OnNodeLost(IActorRef node, string reason)
    {
        if (!_nodes.Remove(node, out var info)) return;
        if (_completionAnnounced) _log.Info("Trainer {0} left after the study completed", info.NodeId);
        else _log.Warning("Trainer {0} lost ({1}); re-queueing its trials", info.NodeId, reason);
        foreach (var trial in RunningOn(info.NodeId).ToList()) Requeue(trial, $"{reason}: {info.NodeId}");
        Publish();
    }

    private void Requeue(TrialRecord trial, string reason)
    {
        var attempt = trial.CurrentAttempt;
        var requeued = Scheduler.Requeue(trial.Id);
        Store.EndAttempt(StudyId, trial.Id, attempt, reason, failTrial: !requeued);
        _lastEpoch.Remove(trial.Id);
        _telemetry.TrialRequeued(trial, attempt, reason);
        if (requeued)
        {
            _log.Info("Trial {0} attempt {1} re-queued: {2}", trial.Id, attempt, reason);
            return;
        }
        _log.Warning("Trial {0} failed: {1} attempts used, last: {2}", trial.Id, trial.Attempts, reason);
        var failed = new TrialOutcome("failed", null, null, 0, 0, 0, 0, "", null, null, reason);
        Store.AddTrials(StudyId, Scheduler.Complete(trial.Id, failed));
        _telemetry.TrialEnded(trial, attempt, failed);
        CheckCompletion();
    }

    private void Register(string nodeId, string device, int slots)
    {
        if (!_nodes.ContainsKey(Sender)) Context.Watch(Sender);
        var previous = _nodes.GetValueOrDefault(Sender);
        _nodes[Sender] = new Node(Sender, nodeId, device == "unknown" && previous is not null ? previous.Device : device,
            Math.Max(slots, previous?.Slots ?? 0), DateTimeOffset.UtcNow);
    }

    private IEnumerable<TrialRecord> RunningOn(string nodeId) => Scheduler.RunningTrials.Where(t => t.NodeId == nodeId);

    private bool IsCurrent(long trialId, long attemptId, out TrialRecord trial)
    {
        trial = null!;
        if (!Scheduler.TryGet(trialId, out var found) || found.State != TrialState.Running || found.CurrentAttempt != attemptId) return false;
        trial = found;
        return true;
    }

    /// <summary>The store for a write: opens a batch (and schedules its commit) if none is open.</summary>
    private Store.StudyStore Store
    {
        get
        {
            var store = _context.Store;
            if (!store.InBatch)
            {
                store.BeginBatch();
                Self.Tell(Flush.Instance);
            }
            else if (store.BatchWrites >= MaxBatchWrites) Commit(reopen: true);
            return store;
        }
    }

    /// <summary>A reply that must not overtake the batch: sent now when nothing is pending, else after the commit.</summary>
    private void Reply(IActorRef to, object message)
    {
        if (_context.Store.InBatch) _outbox.Add((to, message));
        else to.Tell(message, Self);
    }

    /// <summary>Commits the open batch, then sends the replies that waited for it and checks whether the study is complete.</summary>
    private void Commit(bool reopen = false)
    {
        if (_context.Store.InBatch)
        {
            try
            {
                _context.Store.CommitBatch();
            }
            catch (Exception e)
            {
                // Nothing of the batch is acknowledged; the run stops and resumes from the store when started again.
                try { _context.Store.RollbackBatch(); } catch (Exception) { }
                _outbox.Clear();
                _log.Error(e, "Store commit failed; stopping the study run");
                _context.Completion.TrySetException(new Store.StoreException($"writing to the store failed ({e.Message}); nothing unrecorded was acknowledged: run the same command to resume"));
                throw;
            }
            foreach (var (to, message) in _outbox) to.Tell(message, Self);
            _outbox.Clear();
        }
        if (reopen) _context.Store.BeginBatch();
        else CheckCompletion();
    }

    private void CheckCompletion()
    {
        // Completion is announced only once everything it covers is committed (Commit calls back here).
        if (_context.Store.InBatch) return;
        if (DateTimeOffset.UtcNow - _lastPublished > TimeSpan.FromMilliseconds(100) || Scheduler.IsComplete) Publish();
        if (_completionAnnounced || !Scheduler.IsComplete) return;
        _completionAnnounced = true;
        _context.Store.MarkCompleted(StudyId);
        _telemetry.StudyCompleted();
        _log.Info("Study {0} complete: {1} trials recorded", StudyId, Scheduler.Done);
        foreach (var node in _nodes.Keys) node.Tell(new StudyComplete(StudyId, _context.ExitTrainersWhenDone));
        _context.Completion.TrySetResult();
    }

    private void Publish()
    {
        _lastPublished = DateTimeOffset.UtcNow;
        var running = Scheduler.RunningTrials.OrderBy(t => t.Id).Select(t =>
        {
            var candidate = Scheduler.Candidate(t.CandidateId);
            var last = _lastEpoch.GetValueOrDefault(t.Id);
            return new StudyProgress.RunningView(t.Id, t.CurrentAttempt, t.CandidateId, candidate.Spec, candidate.Task, t.Phase.ToString().ToLowerInvariant(), t.Seed,
                t.NodeId ?? "", t.Slot, last.Epoch, last.Epoch > 0 ? last.Valid : null, t.AssignedAt ?? DateTimeOffset.UtcNow);
        }).ToList();
        var nodes = _nodes.Values.Select(n => new StudyProgress.NodeView(n.NodeId, n.Ref.Path.Address.ToString(), n.Device, n.Slots,
            running.Count(r => r.NodeId == n.NodeId), n.LastSeen)).ToList();
        _context.Progress.Publish(new StudyProgress.Snapshot(Scheduler.Total, Scheduler.Done, Scheduler.Failed, nodes, running, _started));
    }

    /// <summary>The trial's spec with its tuned dropout (dropout has no parameters, so the budget is unchanged).</summary>
    private string WithDropout(string spec, double dropout)
    {
        if (_specs.TryGetValue((spec, dropout), out var known)) return known;
        var parsed = Shared.Architecture.ArchSpecParser.Parse(spec);
        return _specs[(spec, dropout)] = (parsed with { Dropout = dropout }).Validate().ToString();
    }

    public static Props Props(StudyContext context) => Akka.Actor.Props.Create(() => new StudyCoordinatorActor(context));
}
