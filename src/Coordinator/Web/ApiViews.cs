namespace RnnSearch.Coordinator.Web;

/// <summary>
/// A trial as /api/trials shows it: the stored row, with the live epoch, best validation metric, slot and start time
/// of a running trial. <see cref="State"/> is pending, running or done; a done trial has a <see cref="Status"/>.
/// </summary>
public sealed record TrialView(
    long TrialId, long AttemptId, long CandidateId, string Task, string Cell, string Family, int Depth, long? Budget, string Spec, string Phase, long Seed,
    string State, string? Status, string? NodeId, int? Slot, int? Epoch, double? ValidMetric, double? TestMetric, int? Epochs, int? BestEpoch,
    double? TrainSeconds, int Attempts, DateTimeOffset? Started, DateTimeOffset? CompletedAt, string? Error);

/// <summary>
/// A trainer node as /api/nodes shows it: live slots (when the coordinator knows the node now) and what the store
/// recorded on it. <see cref="Slots"/>, <see cref="Busy"/> and <see cref="Free"/> are null for a node that is gone.
/// </summary>
public sealed record NodeSummary(
    string NodeId, bool Live, string? Address, string? Device, int? Slots, int? Busy, int? Free, DateTimeOffset? LastSeen,
    IReadOnlyList<long> Running, int Done, int Failed, double TrainSeconds);

/// <summary>The epochs of one trial's current attempt (/api/trials/{id}/epochs).</summary>
public sealed record EpochsView(long TrialId, long AttemptId, string State, string Task, string MetricName, IReadOnlyList<Store.StoredEpoch> Epochs);

/// <summary>One learning curve in /api/curves: [epoch, validation metric] pairs of the trial's current attempt.</summary>
public sealed record CurveView(long TrialId, IReadOnlyList<double[]> Points);
