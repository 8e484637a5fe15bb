using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RnnSearch.Shared.Telemetry;

/// <summary>
/// The one <see cref="ActivitySource"/> and the one <see cref="Meter"/> of RnnSearch, and the names of every span and
/// instrument. Instrument names are already Prometheus names (the exporter adds _total, _seconds, _bucket, …), so
/// dashboards, alert rules and docs/observability.md use exactly these strings.
/// </summary>
public static class RnnSearchTelemetry
{
    public const string SourceName = "RnnSearch";
    public const string MeterName = "RnnSearch";
    public const string CoordinatorService = "rnnsearch-coordinator";
    public const string TrainerService = "rnnsearch-trainer";

    public static readonly string Version = typeof(RnnSearchTelemetry).Assembly.GetName().Version?.ToString() ?? "0.0.0";
    public static readonly ActivitySource Source = new(SourceName, Version);
    public static readonly Meter Meter = new(MeterName, Version);

    /// <summary>Span names.</summary>
    public static class Spans
    {
        public const string Study = "study";
        public const string Trial = "trial";
        public const string Train = "trial.train";
        public const string Epoch = "epoch";
        public const string Checkpoint = "checkpoint.write";
    }

    /// <summary>Instrument names (as exported to Prometheus, before the exporter's suffixes).</summary>
    public static class Metrics
    {
        // coordinator
        public const string TrialsStarted = "rnnsearch_trials_started";
        public const string TrialsCompleted = "rnnsearch_trials_completed";
        public const string TrialsFailed = "rnnsearch_trials_failed";
        public const string TrialsDiverged = "rnnsearch_trials_diverged";
        public const string TrialsRequeued = "rnnsearch_trials_requeued";
        public const string TrialsRunning = "rnnsearch_trials_running";
        public const string StudyTrials = "rnnsearch_study_trials";
        public const string BestValidMetric = "rnnsearch_best_valid_metric";
        public const string BestTestMetric = "rnnsearch_best_test_metric";
        public const string SlotsBusy = "rnnsearch_trainer_slots_busy";
        public const string SlotsFree = "rnnsearch_trainer_slots_free";
        public const string TrainersConnected = "rnnsearch_trainers_connected";
        // every node
        public const string ClusterMembers = "rnnsearch_cluster_members";
        // trainer
        public const string DispatchLatency = "rnnsearch_dispatch_latency";
        public const string EpochsCompleted = "rnnsearch_epochs_completed";
        public const string EpochDuration = "rnnsearch_epoch_duration";
        public const string SamplesPerSecond = "rnnsearch_samples_per_second";
        public const string TrialTrainLoss = "rnnsearch_trial_train_loss";
        public const string TrialValidMetric = "rnnsearch_trial_valid_metric";
        public const string TrialEpoch = "rnnsearch_trial_epoch";
        public const string CheckpointWriteDuration = "rnnsearch_checkpoint_write_duration";
        public const string NodeSlots = "rnnsearch_node_slots";
    }

    /// <summary>Tag (label) names.</summary>
    public static class Tags
    {
        public const string Study = "study";
        public const string Task = "task";
        public const string Family = "family";
        public const string Status = "status";
        public const string Node = "node";
        public const string Slot = "slot";
        public const string Trial = "trial";
        public const string Role = "role";
        public const string State = "state";
        public const string Phase = "phase";
        public const string Metric = "metric";
        public const string Reason = "reason";
        public const string Observer = "observer_role";
    }
}
