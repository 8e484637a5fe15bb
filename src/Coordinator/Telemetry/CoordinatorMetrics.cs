using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RnnSearch.Shared.Telemetry;
using static RnnSearch.Shared.Telemetry.RnnSearchTelemetry;

namespace RnnSearch.Coordinator.Telemetry;

/// <summary>
/// The coordinator's instruments. Counters are written by <see cref="StudyTelemetry"/>; gauges are read from every
/// study this process runs (normally one) when a reader (Prometheus scrape, OTLP export) collects.
/// </summary>
internal static class CoordinatorMetrics
{
    private static readonly ConcurrentDictionary<StudyTelemetry, byte> Studies = new();

    public static readonly Counter<long> TrialsStarted = RnnSearchTelemetry.Meter.CreateCounter<long>(Metrics.TrialsStarted, "{trial}",
        "Trial attempts assigned to a trainer slot, by family and task");
    public static readonly Counter<long> TrialsCompleted = RnnSearchTelemetry.Meter.CreateCounter<long>(Metrics.TrialsCompleted, "{trial}",
        "Trials with a recorded result, by family, task and status (ok, stopped, diverged, failed)");
    public static readonly Counter<long> TrialsFailed = RnnSearchTelemetry.Meter.CreateCounter<long>(Metrics.TrialsFailed, "{trial}",
        "Trials recorded as failed (an exception, or every attempt lost)");
    public static readonly Counter<long> TrialsDiverged = RnnSearchTelemetry.Meter.CreateCounter<long>(Metrics.TrialsDiverged, "{trial}",
        "Trials whose loss became NaN or infinite");
    public static readonly Counter<long> TrialsRequeued = RnnSearchTelemetry.Meter.CreateCounter<long>(Metrics.TrialsRequeued, "{trial}",
        "Trial attempts given up and queued again (trainer lost, handed back, forgotten)");

    static CoordinatorMetrics()
    {
        RnnSearchTelemetry.Meter.CreateObservableGauge(Metrics.TrialsRunning, () => Each<int>(s => [s.Measure(s.Progress.Running.Count)]), "{trial}",
            "Trials running now");
        RnnSearchTelemetry.Meter.CreateObservableGauge(Metrics.StudyTrials, () => Each<int>(s =>
        {
            var p = s.Progress;
            return [s.Measure(p.Total, (Tags.State, "total")), s.Measure(p.Done, (Tags.State, "done")), s.Measure(p.Running.Count, (Tags.State, "running")),
                s.Measure(Math.Max(0, p.Pending), (Tags.State, "pending")), s.Measure(p.Failed, (Tags.State, "failed"))];
        }), "{trial}", "Trials of the study by state (total, done, running, pending, failed)");
        RnnSearchTelemetry.Meter.CreateObservableGauge(Metrics.SlotsBusy, () => Each(s => s.Progress.Nodes.Select(n => s.Measure(n.Busy, (Tags.Node, n.NodeId)))), "{slot}",
            "Trainer slots running a trial, per trainer node");
        RnnSearchTelemetry.Meter.CreateObservableGauge(Metrics.SlotsFree, () => Each(s => s.Progress.Nodes.Select(n => s.Measure(Math.Max(0, n.Slots - n.Busy), (Tags.Node, n.NodeId)))), "{slot}",
            "Trainer slots without a trial, per trainer node");
        RnnSearchTelemetry.Meter.CreateObservableGauge(Metrics.TrainersConnected, () => Each<int>(s => [s.Measure(s.Progress.Nodes.Count)]), "{node}",
            "Trainer nodes known to the coordinator");
        RnnSearchTelemetry.Meter.CreateObservableGauge(Metrics.BestValidMetric, () => Each(s => s.Best.Select(b => s.Measure(b.Value.Valid, (Tags.Task, b.Key.Task), (Tags.Family, b.Key.Family)))),
            description: "Best (lowest) validation metric so far, per task and family");
        RnnSearchTelemetry.Meter.CreateObservableGauge(Metrics.BestTestMetric, () => Each(s => s.Best.Where(b => b.Value.Test is not null)
                .Select(b => s.Measure(b.Value.Test!.Value, (Tags.Task, b.Key.Task), (Tags.Family, b.Key.Family)))),
            description: "Test metric of the trial with the best validation metric so far, per task and family");
    }

    public static void Register(StudyTelemetry study) => Studies[study] = 0;

    public static void Unregister(StudyTelemetry study) => Studies.TryRemove(study, out _);

    private static IEnumerable<Measurement<T>> Each<T>(Func<StudyTelemetry, IEnumerable<Measurement<T>>> measure) where T : struct =>
        Studies.Keys.SelectMany(measure).ToList();
}
