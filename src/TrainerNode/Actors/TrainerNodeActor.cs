using RnnSearch.Shared.Tasks;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Microsoft.Extensions.Logging;
using RnnSearch.Shared.Hosting;
using RnnSearch.Shared.Logging;
using RnnSearch.Shared.Protocol;
using RnnSearch.TrainerNode.Telemetry;
using RnnSearch.TrainerNode.Training;

namespace RnnSearch.TrainerNode.Actors;

/// <summary>
/// A trainer node: announces itself, pulls one trial per free slot from the coordinator, trains it on a dedicated
/// thread (TorchSharp's dispose scopes are per thread) and reports epochs and the result. Results are resent until
/// acknowledged; the coordinator ignores duplicates, so each trial is recorded exactly once. Only members with the
/// coordinator role may assign work.
/// </summary>
public sealed class TrainerNodeActor : ReceiveActor, IWithTimers
{
    public sealed record AskForWork(int Slot);
    public sealed record EpochDone(int Slot, long TrialId, long AttemptId, EpochProgress Progress);
    public sealed record TrialDone(int Slot, AssignTrial Assignment, TrialResult Result);
    public sealed class Leave { public static readonly Leave Instance = new(); }
    private sealed class HelloTick { public static readonly HelloTick Instance = new(); }
    private sealed class ResendTick { public static readonly ResendTick Instance = new(); }
    private sealed class CheckCoordinator { public static readonly CheckCoordinator Instance = new(); }

    /// <summary>The coordinator left this cluster (it stopped gracefully): restart the node so it joins the next one.</summary>
    public sealed class CoordinatorLostReason : CoordinatedShutdown.Reason
    {
        public static readonly CoordinatorLostReason Instance = new();
        private CoordinatorLostReason() { }

        public override int ExitCode => 0;
    }

    private sealed class Slot
    {
        public SlotThread? Thread;
        public AssignTrial? Trial;
        public CancellationTokenSource? Cancel;
        /// <summary>Given back to the coordinator: its cut-short result must not be reported as an outcome.</summary>
        public bool HandedBack;
    }

    private readonly IActorRef _coordinator;
    private readonly TrainerNodeOptions _options;
    private readonly Action _stopApplication;
    private readonly Microsoft.Extensions.Logging.ILogger _trialLog;
    private readonly ILoggingAdapter _log = Context.GetLogger().WithTrialContext();
    private readonly DispatchClock _dispatch;
    private readonly Slot[] _slots;
    private readonly Dictionary<(long, long), TrialFinished> _unacknowledged = [];

    public ITimerScheduler Timers { get; set; } = null!;

    public TrainerNodeActor(IActorRef coordinator, TrainerNodeOptions options, Action stopApplication, Microsoft.Extensions.Logging.ILogger trialLog)
    {
        _coordinator = coordinator;
        _options = options;
        _stopApplication = stopApplication;
        _trialLog = trialLog;
        _slots = Enumerable.Range(0, options.Slots).Select(_ => new Slot()).ToArray();
        _dispatch = new DispatchClock(options.Slots);
        TrainerMetrics.NodeStarted(options.NodeId, options.Slots);

        Receive<HelloTick>(_ => SayHello());
        Receive<AskForWork>(ask => { if (_slots[ask.Slot].Trial is null) { _dispatch.Requested(ask.Slot); _coordinator.Tell(new RequestTrial(_options.NodeId, ask.Slot)); } });
        Receive<NoTrialAvailable>(OnNoTrial);
        Receive<AssignTrial>(OnAssign);
        Receive<EpochDone>(OnEpoch);
        Receive<StopTrial>(OnStop);
        Receive<TrialDone>(OnTrialDone);
        Receive<TrialFinishedAck>(OnAck);
        Receive<ResendTick>(_ => { foreach (var finished in _unacknowledged.Values) _coordinator.Tell(finished); });
        Receive<StudyComplete>(OnStudyComplete);
        Receive<Leave>(_ => { HandBackAll("trainer node is leaving"); Sender.Tell(Akka.Done.Instance); });
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            if (removed.Member.HasRole(ClusterConstants.CoordinatorRole)) Timers.StartSingleTimer("coordinator-check", CheckCoordinator.Instance, TimeSpan.FromSeconds(3));
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<CheckCoordinator>(_ => OnCheckCoordinator());
    }

    protected override void PreStart()
    {
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
        SayHello();
        Timers.StartPeriodicTimer("hello", HelloTick.Instance, _options.HelloInterval);
        Timers.StartPeriodicTimer("resend", ResendTick.Instance, _options.ResendInterval);
        for (var slot = 0; slot < _slots.Length; slot++) Self.Tell(new AskForWork(slot));
    }

    protected override bool AroundReceive(Receive receive, object message)
    {
        using (TrialLogContext.For(message switch { TrialDone d => d.Assignment, _ => message })) return base.AroundReceive(receive, message);
    }

    private void OnCheckCoordinator()
    {
        var cluster = Cluster.Get(Context.System);
        if (cluster.State.Members.Any(m => m.HasRole(ClusterConstants.CoordinatorRole) && m.Status is MemberStatus.Up or MemberStatus.Joining or MemberStatus.WeaklyUp)) return;
        _log.Warning("The coordinator left the cluster; restarting this node to join the next coordinator");
        CoordinatedShutdown.Get(Context.System).Run(CoordinatorLostReason.Instance);
    }

    protected override void PostStop()
    {
        Cluster.Get(Context.System).Unsubscribe(Self);
        foreach (var slot in _slots)
        {
            slot.Cancel?.Cancel();
            slot.Thread?.Dispose();
        }
    }

    private void SayHello()
    {
        var running = _slots.Select((s, i) => (s, i)).Where(p => p.s.Trial is not null)
            .Select(p => new RunningTrial(p.s.Trial!.TrialId, p.s.Trial.AttemptId, p.i)).ToList();
        _coordinator.Tell(new TrainerHello(_options.NodeId, _options.Slots, _options.Device, _options.Threads, ProtocolVersion.Current, running));
    }

    private void OnNoTrial(NoTrialAvailable none)
    {
        if (none.StudyDone && _options.ExitWhenDone && _unacknowledged.Count == 0 && _slots.All(s => s.Trial is null))
        {
            _log.Info("Study complete; trainer node {0} exits", _options.NodeId);
            _stopApplication();
            return;
        }
        if (none.Slot >= 0 && none.Slot < _slots.Length)
            Timers.StartSingleTimer($"ask-{none.Slot}", new AskForWork(none.Slot), TimeSpan.FromMilliseconds(Math.Clamp(none.RetryAfterMs, 50, 60_000)));
    }

    private void OnAssign(AssignTrial assignment)
    {
        if (!FromCoordinator())
        {
            _log.Warning("Assignment of trial {0} from {1} refused: not a member with the coordinator role", assignment.TrialId, Sender.Path);
            return;
        }
        if (assignment.Slot < 0 || assignment.Slot >= _slots.Length || _slots[assignment.Slot].Trial is not null)
        {
            _log.Warning("Assignment of trial {0} to busy or unknown slot {1}: handed back", assignment.TrialId, assignment.Slot);
            Sender.Tell(new HandBackTrial(assignment.TrialId, assignment.AttemptId, _options.NodeId, "slot busy"));
            return;
        }
        var slot = _slots[assignment.Slot];
        _dispatch.Assigned(assignment.Slot);
        slot.Trial = assignment;
        if (assignment.CheckpointDirectory is { } checkpoint) _checkpointDirectories[assignment.TrialId] = checkpoint;
        slot.Cancel = new CancellationTokenSource();
        var token = slot.Cancel.Token;
        var self = Self;
        var config = new TrialConfig
        {
            Spec = assignment.Spec, Task = assignment.Task, Length = assignment.Length, MaxEpochs = assignment.MaxEpochs,
            LearningRate = assignment.LearningRate, WeightDecay = assignment.WeightDecay, BatchSize = assignment.BatchSize, Bptt = assignment.Bptt,
            ClipNorm = assignment.ClipNorm, Patience = assignment.Patience, LrPatience = assignment.LrPatience, MaxWallSeconds = assignment.MaxWallSeconds,
            MaxBatchesPerEpoch = assignment.MaxBatchesPerEpoch, Seed = assignment.Seed, Device = _options.Device,
            CheckpointDirectory = assignment.CheckpointDirectory, DataDirectory = _options.DataDirectory,
        };
        _log.Info("Slot {0}: trial {1} attempt {2}: {3} on {4}, seed {5}", assignment.Slot, assignment.TrialId, assignment.AttemptId, assignment.Spec, assignment.Task, assignment.Seed);
        var slotIndex = assignment.Slot;
        ITrialRunner runner = _options.NoOpTrainerForBenchmarks is { } delay ? new NoOpTrialRunnerForBenchmarks(delay) : new TrialRunner(_trialLog);
        var nodeId = _options.NodeId;
        slot.Thread ??= new SlotThread($"trainer slot {slotIndex}");
        TrialThreads.Track(slot.Thread.Run(() => TrialTelemetry.Run(assignment, nodeId, onEpoch => RunSafely(runner, config, onEpoch, token),
                    p => self.Tell(new EpochDone(slotIndex, assignment.TrialId, assignment.AttemptId, p)))))
            .PipeTo(Self, success: result => new TrialDone(slotIndex, assignment, result));
    }

    /// <summary>Any exception ends the trial as "failed" with its message; the node keeps running.</summary>
    private static TrialResult RunSafely(ITrialRunner runner, TrialConfig config, Action<EpochProgress> onEpoch, CancellationToken token)
    {
        try
        {
            return runner.Run(config, onEpoch, token);
        }
        catch (Exception e)
        {
            return new TrialResult { Spec = config.Spec, Task = config.Task, MetricName = "", Status = TrialStatus.Failed, Seed = config.Seed, Error = $"{e.GetType().Name}: {e.Message}" };
        }
    }

    private void OnEpoch(EpochDone done)
    {
        var p = done.Progress;
        _coordinator.Tell(new EpochReport(done.TrialId, done.AttemptId, _options.NodeId, p.Epoch, p.TrainLoss, p.ValidMetric, p.Seconds, p.SamplesPerSecond, p.BestValid));
    }

    private void OnStop(StopTrial stop)
    {
        if (!FromCoordinator()) return;
        foreach (var slot in _slots.Where(s => s.Trial is { } t && t.TrialId == stop.TrialId && t.AttemptId == stop.AttemptId))
        {
            _log.Info("Stopping trial {0} ({1})", stop.TrialId, stop.Reason);
            slot.Cancel?.Cancel();
        }
    }

    private void OnTrialDone(TrialDone done)
    {
        var slot = _slots[done.Slot];
        if (slot.Trial?.AttemptId != done.Assignment.AttemptId) return;
        slot.Trial = null;
        if (slot.HandedBack)
        {
            slot.HandedBack = false;
            slot.Cancel?.Dispose();
            slot.Cancel = null;
            return;
        }
        slot.Cancel?.Dispose();
        slot.Cancel = null;
        var r = done.Result;
        var finished = new TrialFinished(done.Assignment.TrialId, done.Assignment.AttemptId, _options.NodeId, done.Slot, r.Status, r.Epochs, r.BestEpoch, r.Params,
            r.ValidMetric, r.TestMetric, r.TrainSeconds, r.Device, r.ResumedFromEpoch, r.Error,
            r.History.Select(h => new EpochRecordMessage(h.Epoch, h.TrainLoss, h.ValidMetric, h.Seconds, h.SamplesPerSecond)).ToList(), r.TrivialValidMetric, done.Assignment.TraceParent);
        _unacknowledged[(finished.TrialId, finished.AttemptId)] = finished;
        _coordinator.Tell(finished);
        _log.Info("Trial {0} {1}: test {2} after {3} epochs", finished.TrialId, r.Status, r.TestMetric, r.Epochs);
        Self.Tell(new AskForWork(done.Slot));
    }

    private void OnAck(TrialFinishedAck ack)
    {
        // The result is recorded: its checkpoint is no longer needed.
        if (_unacknowledged.Remove((ack.TrialId, ack.AttemptId))) TryDeleteCheckpoint(ack.TrialId);
    }

    private readonly Dictionary<long, string> _checkpointDirectories = [];

    private void TryDeleteCheckpoint(long trialId)
    {
        if (!_checkpointDirectories.Remove(trialId, out var directory)) return;
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException e)
        {
            _log.Warning("Could not delete checkpoint {0}: {1}", directory, e.Message);
        }
    }

    private void OnStudyComplete(StudyComplete complete)
    {
        if (!FromCoordinator() || !complete.ExitTrainers || !_options.ExitWhenDone) return;
        if (_unacknowledged.Count > 0 || _slots.Any(s => s.Trial is not null)) return;
        _log.Info("Study {0} complete; trainer node {1} exits", complete.StudyId, _options.NodeId);
        _stopApplication();
    }

    private void HandBackAll(string reason)
    {
        foreach (var slot in _slots.Where(s => s.Trial is not null))
        {
            _coordinator.Tell(new HandBackTrial(slot.Trial!.TrialId, slot.Trial.AttemptId, _options.NodeId, reason));
            _log.Info("Trial {0} attempt {1} handed back to the coordinator: {2}", slot.Trial.TrialId, slot.Trial.AttemptId, reason);
            slot.HandedBack = true;
            slot.Cancel?.Cancel();
        }
    }

    /// <summary>Work and stop orders are accepted only from members with the coordinator role.</summary>
    private bool FromCoordinator()
    {
        // A message without a sender arrives from dead letters, which has a local address: never trust that.
        var address = Sender.Path.Address;
        if (Sender.IsNobody() || address.HasLocalScope) return false;
        return Cluster.Get(Context.System).State.Members.Any(m => m.Address == address && m.HasRole(ClusterConstants.CoordinatorRole));
    }

    public static Props Props(IActorRef coordinator, TrainerNodeOptions options, Action stopApplication, Microsoft.Extensions.Logging.ILogger trialLog) =>
        Akka.Actor.Props.Create(() => new TrainerNodeActor(coordinator, options, stopApplication, trialLog));
}
