using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RnnSearch.Shared.Protocol;
using RnnSearch.Shared.Telemetry;
using RnnSearch.TrainerNode.Training;
using static RnnSearch.Shared.Telemetry.RnnSearchTelemetry;

namespace RnnSearch.TrainerNode.Telemetry;

/// <summary>
/// A trainer node's instruments: epochs (count, duration), throughput and the latest loss / validation metric of
/// each running trial (curves over time in Prometheus), checkpoint writes, dispatch latency and busy slots.
/// </summary>
internal static class TrainerMetrics
{
    /// <summary>The latest epoch of the trial in a slot; kept a little after the trial ends so a scrape sees its last point.</summary>
    private sealed record SlotState(string Node, int Slot, AssignTrial Trial, EpochProgress? Last, DateTimeOffset? EndedAt);

    private static readonly TimeSpan KeepEnded = TimeSpan.FromSeconds(30);
    private static readonly ConcurrentDictionary<(string Node, int Slot), SlotState> Slots = new();
    private static readonly ConcurrentDictionary<string, int> SlotCounts = new();

    public static readonly Histogram<double> DispatchLatency = RnnSearchTelemetry.Meter.CreateHistogram<double>(Metrics.DispatchLatency, "s",
        "From a slot's request for work to the assignment that answered it");
    public static readonly Counter<long> EpochsCompleted = RnnSearchTelemetry.Meter.CreateCounter<long>(Metrics.EpochsCompleted, "{epoch}",
        "Epochs trained, by family and task");
    public static readonly Histogram<double> EpochDuration = RnnSearchTelemetry.Meter.CreateHistogram<double>(Metrics.EpochDuration, "s",
        "Training time of one epoch (without evaluation), by family and task");
    public static readonly Histogram<double> CheckpointWriteDuration = RnnSearchTelemetry.Meter.CreateHistogram<double>(Metrics.CheckpointWriteDuration, "s",
        "Time to write one checkpoint (serialise, fsync, rename)");

    static TrainerMetrics()
    {
        RnnSearchTelemetry.Meter.CreateObservableGauge(Metrics.SamplesPerSecond, () => Running().Where(s => s.Last is not null)
            .Select(s => Measure(s.Last!.SamplesPerSecond, s, withTrial: false)).ToList(), "{sample}/s", "Training throughput of the last epoch, per trainer slot");
        RnnSearchTelemetry.Meter.CreateObservableGauge(Metrics.TrialTrainLoss, () => Running().Where(s => s.Last is not null)
            .Select(s => Measure(s.Last!.TrainLoss, s, withTrial: true)).ToList(), description: "Training loss of the last epoch of each running trial");
        RnnSearchTelemetry.Meter.CreateObservableGauge(Metrics.TrialValidMetric, () => Running().Where(s => s.Last is { ValidMetric: var v } && double.IsFinite(v))
            .Select(s => Measure(s.Last!.ValidMetric, s, withTrial: true)).ToList(), description: "Validation metric of the last epoch of each running trial");
        RnnSearchTelemetry.Meter.CreateObservableGauge(Metrics.TrialEpoch, () => Running().Where(s => s.Last is not null)
            .Select(s => new Measurement<int>(s.Last!.Epoch, Tags(s, withTrial: true))).ToList(), "{epoch}", "Last finished epoch of each running trial");
        RnnSearchTelemetry.Meter.CreateObservableGauge(Metrics.NodeSlots, () => SlotCounts.SelectMany(node =>
        {
            var busy = Slots.Values.Count(s => s.Node == node.Key && s.EndedAt is null);
            return new[]
            {
                new Measurement<int>(busy, new(RnnSearchTelemetry.Tags.Node, node.Key), new(RnnSearchTelemetry.Tags.State, "busy")),
                new Measurement<int>(Math.Max(0, node.Value - busy), new(RnnSearchTelemetry.Tags.Node, node.Key), new(RnnSearchTelemetry.Tags.State, "free")),
            };
        }).ToList(), "{slot}", "This trainer node's slots, busy or free");
    }

    /// <summary>The node exists with this many slots (all free).</summary>
    public static void NodeStarted(string node, int slots) => SlotCounts[node] = slots;

    public static void TrialStarted(string node, AssignTrial trial) => Slots[(node, trial.Slot)] = new SlotState(node, trial.Slot, trial, null, null);

    public static void EpochFinished(string node, AssignTrial trial, EpochProgress progress)
    {
        KeyValuePair<string, object?> family = new(RnnSearchTelemetry.Tags.Family, trial.Family), task = new(RnnSearchTelemetry.Tags.Task, trial.Task);
        EpochsCompleted.Add(1, family, task);
        EpochDuration.Record(progress.Seconds, family, task);
        Slots.AddOrUpdate((node, trial.Slot), _ => new SlotState(node, trial.Slot, trial, progress, null),
            (_, state) => state.Trial.AttemptId == trial.AttemptId ? state with { Last = progress } : state);
    }

    public static void TrialEnded(string node, AssignTrial trial) =>
        Slots.AddOrUpdate((node, trial.Slot), _ => new SlotState(node, trial.Slot, trial, null, DateTimeOffset.UtcNow),
            (_, state) => state.Trial.AttemptId == trial.AttemptId ? state with { EndedAt = DateTimeOffset.UtcNow } : state);

    private static List<SlotState> Running()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var (key, state) in Slots)
            if (state.EndedAt is { } ended && now - ended > KeepEnded) Slots.TryRemove(new KeyValuePair<(string, int), SlotState>(key, state));
        return Slots.Values.ToList();
    }

    private static Measurement<double> Measure(double value, SlotState s, bool withTrial) => new(value, Tags(s, withTrial));

    private static KeyValuePair<string, object?>[] Tags(SlotState s, bool withTrial)
    {
        List<KeyValuePair<string, object?>> tags =
        [
            new(RnnSearchTelemetry.Tags.Node, s.Node), new(RnnSearchTelemetry.Tags.Slot, s.Slot),
            new(RnnSearchTelemetry.Tags.Family, s.Trial.Family), new(RnnSearchTelemetry.Tags.Task, s.Trial.Task),
        ];
        if (withTrial)
        {
            tags.Add(new(RnnSearchTelemetry.Tags.Study, s.Trial.StudyId));
            tags.Add(new(RnnSearchTelemetry.Tags.Trial, s.Trial.TrialId));
        }
        return tags.ToArray();
    }
}
