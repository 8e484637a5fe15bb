namespace RnnSearch.Coordinator.Studies;

public enum TrialPhase { Tune, Final }

public enum TrialState { Pending, Running, Done }

/// <summary>
/// One unit of work: a candidate trained once with one seed and one set of hyper-parameters. A trial can take
/// several attempts (a trainer died, the coordinator restarted); exactly one result is recorded per trial.
/// </summary>
public sealed class TrialRecord
{
    public required long Id { get; init; }
    public required long CandidateId { get; init; }
    public required TrialPhase Phase { get; init; }
    /// <summary>Index of the tuning draw (tune phase) or of the seed (final phase).</summary>
    public required int Index { get; init; }
    public required long Seed { get; init; }
    /// <summary>Null for a tuning draw whose hyper-parameters are drawn when it is first assigned.</summary>
    public HyperParameters? Hyper { get; set; }
    public TrialState State { get; set; } = TrialState.Pending;
    public long CurrentAttempt { get; set; }
    public int Attempts { get; set; }
    public string? NodeId { get; set; }
    public int Slot { get; set; }
    public DateTimeOffset? AssignedAt { get; set; }
    public TrialOutcome? Outcome { get; set; }
    /// <summary>Validation metric by epoch as reported so far (ASHA reads it).</summary>
    public Dictionary<int, double> Curve { get; } = [];
    /// <summary>The epoch at which ASHA stopped this tuning draw, or null.</summary>
    public int? PrunedAtEpoch { get; set; }
    /// <summary>For a final trial created when its candidate's tuning ended: which draw it re-runs, and why (the store keeps it).</summary>
    public DrawSelection? Selection { get; init; }
}

/// <summary>What a finished trial produced.</summary>
public sealed record TrialOutcome(
    string Status, double? ValidMetric, double? TestMetric, int Epochs, int BestEpoch, long Params, double TrainSeconds,
    string Device, string? NodeId, double? TrivialValidMetric, string? Error, int ResumedFromEpoch = 0);
