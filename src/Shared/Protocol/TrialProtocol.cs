namespace RnnSearch.Shared.Protocol;

// The conversation between trainer nodes and the coordinator (work pulling):
//   trainer → TrainerHello (slots, device) … coordinator watches it
//   trainer slot → RequestTrial → coordinator → AssignTrial | NoTrialAvailable
//   trainer → EpochReport* → coordinator (may answer StopTrial: ASHA)
//   trainer → TrialFinished (repeated until acknowledged) → coordinator → TrialFinishedAck
//   coordinator → StudyComplete when nothing is left; trainer → HandBackTrial when it leaves mid-trial.

/// <summary>A trainer node introduces itself (again after a restart or every heartbeat period).</summary>
public sealed record TrainerHello(string NodeId, int Slots, string Device, int Threads, int Protocol, IReadOnlyList<RunningTrial> Running) : IProtocolMessage;

/// <summary>A trial a trainer is running right now, so a coordinator can reconcile its view.</summary>
public sealed record RunningTrial(long TrialId, long AttemptId, int Slot);

/// <summary>A free slot asks for work.</summary>
public sealed record RequestTrial(string NodeId, int Slot) : IProtocolMessage;

/// <summary>Nothing to run now; ask again after the delay. <see cref="StudyDone"/> when nothing will come.</summary>
public sealed record NoTrialAvailable(int Slot, int RetryAfterMs, bool StudyDone) : IProtocolMessage;

/// <summary>Run this trial. Every field a trial needs travels by value; data and checkpoints by path.</summary>
public sealed record AssignTrial(
    long TrialId, long AttemptId, string StudyId, int Slot, string Spec, string Task, int? Length,
    int MaxEpochs, double LearningRate, double WeightDecay, int BatchSize, int? Bptt, double ClipNorm, int Patience,
    double? MaxWallSeconds, int? MaxBatchesPerEpoch, long Seed, string? CheckpointDirectory, string? TraceParent,
    string Family, bool ReportEpochs, int? LrPatience = null) : IProtocolMessage;

/// <summary>Progress after each epoch; the coordinator stores it and ASHA decides on it.</summary>
public sealed record EpochReport(
    long TrialId, long AttemptId, string NodeId, int Epoch, double TrainLoss, double ValidMetric, double Seconds,
    double SamplesPerSecond, double BestValid) : IProtocolMessage;

/// <summary>Stop this attempt after the current window (ASHA, or the study was cancelled).</summary>
public sealed record StopTrial(long TrialId, long AttemptId, string Reason) : IProtocolMessage;

/// <summary>The outcome of an attempt, resent until <see cref="TrialFinishedAck"/> arrives.</summary>
public sealed record TrialFinished(
    long TrialId, long AttemptId, string NodeId, int Slot, string Status, int Epochs, int BestEpoch, long Params,
    double? ValidMetric, double? TestMetric, double TrainSeconds, string Device, int ResumedFromEpoch, string? Error,
    IReadOnlyList<EpochRecordMessage> History, double? TrivialValidMetric, string? TraceParent) : IProtocolMessage;

public sealed record EpochRecordMessage(int Epoch, double TrainLoss, double ValidMetric, double Seconds, double SamplesPerSecond);

/// <summary>The coordinator has recorded (or deliberately ignored, for a superseded attempt) a result.</summary>
public sealed record TrialFinishedAck(long TrialId, long AttemptId) : IProtocolMessage;

/// <summary>A leaving trainer gives its unfinished attempt back for re-queueing.</summary>
public sealed record HandBackTrial(long TrialId, long AttemptId, string NodeId, string Reason) : IProtocolMessage;

/// <summary>Every trial of the study is recorded; trainers started for this study may exit.</summary>
public sealed record StudyComplete(string StudyId, bool ExitTrainers) : IProtocolMessage;
