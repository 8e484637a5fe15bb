namespace RnnSearch.Coordinator.Store;

/// <summary>A study's row in the store, as the web UI and the report read it.</summary>
public sealed record StoredStudy(string Id, string Name, string Description, string Definition, DateTimeOffset Created, DateTimeOffset? Completed);

/// <summary>
/// A trial joined with its candidate, as stored: <see cref="State"/> is pending, running or done, and a done trial
/// has a <see cref="Status"/> (ok, stopped, diverged, failed).
/// </summary>
public sealed record StoredTrial(
    long Id, long CandidateId, string Task, string Cell, string Family, int Depth, long? Budget, string Spec, long CandidateParams,
    string Phase, int Index, long Seed, string State, string? Status, double? ValidMetric, double? TestMetric, int? Epochs, int? BestEpoch,
    double? TrainSeconds, string? Device, string? NodeId, int Attempts, long CurrentAttempt, double? TrivialValidMetric, string? Error, DateTimeOffset? CompletedAt);

/// <summary>One epoch of a trial's attempt.</summary>
public sealed record StoredEpoch(int Epoch, double? TrainLoss, double? ValidMetric, double? Seconds, double? SamplesPerSecond);
