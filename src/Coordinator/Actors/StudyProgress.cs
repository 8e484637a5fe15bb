namespace RnnSearch.Coordinator.Actors;

/// <summary>A thread-safe snapshot of the study for the console, the web UI and metrics; written by the actor only.</summary>
public sealed class StudyProgress
{
    private readonly object _gate = new();
    private Snapshot _current = new(0, 0, 0, [], [], DateTimeOffset.UtcNow);

    public sealed record NodeView(string NodeId, string Address, string Device, int Slots, int Busy, DateTimeOffset LastSeen);

    public sealed record RunningView(long TrialId, long AttemptId, long CandidateId, string Spec, string Task, string Phase, long Seed, string NodeId, int Slot, int Epoch, double? ValidMetric, DateTimeOffset Started);

    public sealed record Snapshot(int Total, int Done, int Failed, IReadOnlyList<NodeView> Nodes, IReadOnlyList<RunningView> Running, DateTimeOffset Started)
    {
        public int Pending => Total - Done - Running.Count;

        /// <summary>Remaining time from the mean pace of trials so far (null before the first one).</summary>
        public TimeSpan? Eta(DateTimeOffset now)
        {
            if (Done == 0 || Done >= Total) return Done >= Total ? TimeSpan.Zero : null;
            var perTrial = (now - Started) / Done;
            return perTrial * (Total - Done);
        }
    }

    public Snapshot Current
    {
        get { lock (_gate) return _current; }
    }

    public void Publish(Snapshot snapshot)
    {
        lock (_gate) _current = snapshot;
    }
}
