using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using RnnSearch.Shared.Hosting;

namespace RnnSearch.Coordinator.Actors;

/// <summary>
/// Downs trainer nodes that stay unreachable for <see cref="DownAfter"/>. The split-brain resolver waits for the set
/// of unreachable members to be stable, which never happens while trainers die and new ones join every few seconds
/// (its timer keeps resetting, dead members pile up and block convergence). The coordinator is the authority on its
/// trainers, so it removes them itself; the resolver still handles partitions that cut off the coordinator.
/// </summary>
public sealed class TrainerReaperActor : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan DownAfter = TimeSpan.FromSeconds(4);

    private sealed record Check(UniqueAddress Member);

    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ITimerScheduler Timers { get; set; } = null!;

    public TrainerReaperActor()
    {
        Receive<ClusterEvent.UnreachableMember>(e =>
        {
            if (e.Member.HasRole(ClusterConstants.TrainerRole)) Timers.StartSingleTimer(e.Member.UniqueAddress, new Check(e.Member.UniqueAddress), DownAfter);
        });
        Receive<ClusterEvent.ReachableMember>(e => Timers.Cancel(e.Member.UniqueAddress));
        Receive<Check>(check =>
        {
            var state = _cluster.State;
            if (!state.Unreachable.Any(m => m.UniqueAddress.Equals(check.Member))) return;
            _log.Warning("Trainer node {0} unreachable for {1} s: downing it", check.Member.Address, DownAfter.TotalSeconds);
            _cluster.Down(check.Member.Address);
        });
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => _cluster.Unsubscribe(Self);
}
