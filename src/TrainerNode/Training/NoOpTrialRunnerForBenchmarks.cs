using RnnSearch.Shared.Protocol;
using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Measures;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.TrainerNode.Training;

/// <summary>
/// FAKE trainer for orchestrator benchmarks and fault tests only (trainer node option --noop-trainer-for-benchmarks):
/// it trains nothing and returns at once with a synthetic, deterministic result derived from the trial's seed and
/// spec, so that dispatch, recording and failure handling can be measured without torch. Results it produces are
/// marked with device "noop" and never come from the product's main job.
/// </summary>
public sealed class NoOpTrialRunnerForBenchmarks(TimeSpan delay) : ITrialRunner
{
    public TrialResult Run(TrialConfig config, Action<EpochProgress>? onEpoch, CancellationToken cancellation)
    {
        var info = TaskCatalog.Get(config.Task);
        var spec = ArchSpecParser.Parse(config.Spec);
        var parameters = spec.Hidden is null ? 0 : ModelLayout.Total(spec, info.Shape);
        if (delay > TimeSpan.Zero && cancellation.WaitHandle.WaitOne(delay))
            return new TrialResult { Spec = config.Spec, Task = config.Task, MetricName = info.MetricName, Status = TrialStatus.Stopped, Seed = config.Seed, Device = "noop" };
        var metric = 10 + (Math.Abs(HashCode.Combine(config.Spec, config.Seed)) % 1000) / 1000.0;
        onEpoch?.Invoke(new EpochProgress(1, metric + 1, metric, 0, 0, metric, 1));
        return new TrialResult
        {
            Spec = config.Spec, Task = config.Task, Params = parameters, Seed = config.Seed, Epochs = 1, BestEpoch = 1, MetricName = info.MetricName,
            ValidMetric = metric, TestMetric = metric + 0.01, Status = TrialStatus.Ok, Device = "noop",
            History = [new EpochRecord { Epoch = 1, TrainLoss = metric + 1, ValidMetric = metric }],
        };
    }
}
