using RnnSearch.Shared.Protocol;
using TorchSharp;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Common;
using RnnSearch.Shared.Measures;
using RnnSearch.TrainerNode.Models;
using RnnSearch.TrainerNode.Tasks;
using RnnSearch.Shared.Tasks;
using RnnSearch.TrainerNode.Telemetry;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Training;

/// <summary>
/// Trains one trial: AdamW (Adam with decoupled weight decay) with an optional reduce-on-plateau learning rate
/// (<see cref="PlateauSchedule"/>), gradient clipping by global norm, early stopping on
/// the validation metric with patience, a maximum number of epochs and of wall seconds; the test metric is taken
/// at the best validation epoch. NaN/Inf ends the trial as "diverged". Runs synchronously on the calling thread
/// (TorchSharp's dispose scopes are per thread); cancellation is checked after every window. Its random numbers
/// (initialisation, dropout masks, data order) are its own (<see cref="TrialRandomness"/>): the seed fixes the run
/// however many trials share the process.
/// </summary>
public sealed class TrialRunner(ILogger? logger = null) : ITrialRunner
{
    private readonly ILogger _log = logger ?? NullLogger.Instance;

    public TrialResult Run(TrialConfig config, Action<EpochProgress>? onEpoch = null, CancellationToken cancellation = default)
    {
        if (config.Validate() is { } invalid) throw new ArgumentException(invalid);
        var benchmark = BenchmarkCatalog.Get(config.Task, config.Task is "adding" or "copy" ? "" : DataDirectory.Resolve(config.DataDirectory), config.Length);
        var spec = ArchSpecParser.Parse(config.Spec);
        if (config.Budget is { } budget) spec = BudgetSolver.Solve(spec, benchmark.Info.Shape, budget);
        spec.RequireHidden();
        var device = TorchRuntime.ParseDevice(config.Device);

        // The trial's own random numbers, never torch's global generator: other slots of this process train alongside.
        using var randomness = new TrialRandomness(config.Seed);
        var shuffle = new SeededRandom(config.Seed);
        using var model = NewModel(spec, benchmark, config, randomness);
        model.to(device);
        model.DropoutMasks = randomness.Dropout;
        using var optimizer = new AdamW(model.parameters(), config.LearningRate, config.WeightDecay);
        var parameterCount = model.parameters().Sum(p => p.numel());

        var history = new List<EpochRecord>();
        int bestEpoch = 0, startEpoch = 1;
        double? bestValid = null, bestTest = null;
        double trainSeconds = 0;
        if (config.CheckpointDirectory is { } checkpointDirectory && File.Exists(Checkpoint.PathIn(checkpointDirectory)))
        {
            try
            {
                var state = Checkpoint.Load(checkpointDirectory, model, optimizer, s =>
                    s.Spec != spec.ToString() ? $"spec {s.Spec}" : s.Task != config.Task ? $"task {s.Task}" : s.Seed != config.Seed ? $"seed {s.Seed}" : null);
                (history, bestEpoch, bestValid, bestTest, trainSeconds) = (state.History, state.BestEpoch, state.BestValid, state.BestTest, state.TrainSeconds);
                shuffle = SeededRandom.FromState(state.ShuffleState);
                startEpoch = state.Epoch + 1;
                _log.LogInformation("Resuming {Spec} on {Task} seed {Seed} from epoch {Epoch}", spec, config.Task, config.Seed, state.Epoch);
            }
            catch (CheckpointException e)
            {
                _log.LogWarning("Checkpoint not used, training from scratch: {Reason}", e.Message);
                shuffle = new SeededRandom(config.Seed);
                // Fresh weights (built on the CPU) copied into the model where it lives: moving the model would replace the
                // Parameter objects the optimizer holds. The optimizer may have read part of the checkpoint: reset it too.
                using (var fresh = NewModel(spec, benchmark, config, randomness))
                using (no_grad())
                {
                    var freshParameters = fresh.named_parameters().ToDictionary(p => p.name, p => p.parameter);
                    foreach (var (name, parameter) in model.named_parameters()) parameter.copy_(freshParameters[name]);
                }
                optimizer.Reset();
            }
        }
        var resumedFrom = startEpoch - 1;

        var bptt = config.Bptt ?? benchmark.DefaultBptt;
        var status = TrialStatus.Ok;
        string? error = null;
        var wall = Stopwatch.StartNew();
        var epoch = startEpoch - 1;
        for (var next = startEpoch; next <= config.MaxEpochs && status == TrialStatus.Ok && !EarlyStop(history, bestEpoch, config.Patience); next++)
        {
            epoch = next;
            using var epochSpan = TrialTelemetry.StartEpoch(epoch);
            optimizer.LearningRate = PlateauSchedule.Rate(config.LearningRate, config.LrPatience, history.Select(h => h.ValidMetric));
            randomness.BeginEpoch(epoch);
            var clock = Stopwatch.StartNew();
            var (trainLoss, trained, interrupted) = TrainEpoch(model, optimizer, benchmark, config, bptt, epoch, shuffle, device, cancellation, wall);
            var seconds = clock.Elapsed.TotalSeconds;
            trainSeconds += seconds;
            if (!double.IsFinite(trainLoss))
            {
                status = TrialStatus.Diverged;
                history.Add(new EpochRecord { Epoch = epoch, TrainLoss = trainLoss, ValidMetric = double.NaN, Seconds = seconds, SamplesPerSecond = trained / Math.Max(seconds, 1e-9) });
                break;
            }
            if (interrupted == Interruption.Cancelled) { status = TrialStatus.Stopped; epoch--; break; }

            var valid = Evaluate(model, benchmark, Split.Valid, config, device);
            if (!double.IsFinite(valid)) { status = TrialStatus.Diverged; }
            else if (bestValid is null || valid < bestValid)
            {
                bestValid = valid;
                bestEpoch = epoch;
                bestTest = Evaluate(model, benchmark, Split.Test, config, device);
            }
            var record = new EpochRecord { Epoch = epoch, TrainLoss = trainLoss, ValidMetric = valid, Seconds = seconds, SamplesPerSecond = trained / Math.Max(seconds, 1e-9) };
            history.Add(record);
            epochSpan?.SetTag("rnnsearch.train_loss", trainLoss).SetTag("rnnsearch.valid_metric", valid).SetTag("rnnsearch.samples_per_second", record.SamplesPerSecond);
            _log.LogInformation("{Spec} {Task} epoch {Epoch}: train {TrainLoss:F4}, valid {Metric} {Valid:F4} (best {Best:F4} @ {BestEpoch}), {Seconds:F1}s, {Rate:F0} samples/s",
                spec, config.Task, epoch, trainLoss, benchmark.Info.MetricName, valid, bestValid, bestEpoch, seconds, record.SamplesPerSecond);

            if (config.CheckpointDirectory is { } directory && status == TrialStatus.Ok)
            {
                try
                {
                    Checkpoint.Save(directory, new CheckpointState
                    {
                        Spec = spec.ToString(), Task = config.Task, Seed = config.Seed, Epoch = epoch, BestEpoch = bestEpoch,
                        BestValid = bestValid, BestTest = bestTest, TrainSeconds = trainSeconds, ShuffleState = shuffle.State, History = history,
                    }, model, optimizer);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A checkpoint only saves time on a restart; a full disk or a racing stale attempt must not end the trial.
                    _log.LogWarning("Checkpoint of epoch {Epoch} not written: {Reason}", epoch, e.Message);
                }
            }

            onEpoch?.Invoke(new EpochProgress(epoch, trainLoss, valid, seconds, record.SamplesPerSecond, bestValid ?? double.NaN, bestEpoch));
            if (interrupted == Interruption.WallTime || (config.MaxWallSeconds is { } limit && wall.Elapsed.TotalSeconds >= limit))
                status = TrialStatus.StoppedByTime;
            if (cancellation.IsCancellationRequested) status = TrialStatus.Stopped;
        }

        return new TrialResult
        {
            Spec = spec.ToString(), Task = config.Task, Params = parameterCount, Seed = config.Seed, Epochs = epoch, BestEpoch = bestEpoch,
            MetricName = benchmark.Info.MetricName, ValidMetric = bestValid, TestMetric = bestTest, Status = status,
            TrainSeconds = Math.Round(trainSeconds, 3), Device = device.ToString(), ResumedFromEpoch = resumedFrom, Error = error, History = history,
            TrivialValidMetric = benchmark.TrivialValidMetric,
        };
    }

    /// <summary>The model with its initial weights for this seed, on the CPU.</summary>
    private static RnnModel NewModel(ArchSpec spec, Benchmark benchmark, TrialConfig config, TrialRandomness randomness)
    {
        using var initialisation = randomness.Initialisation();
        return new RnnModel(spec, benchmark.Info.Shape, config.PreferBuiltin, initialisation);
    }

    private static bool EarlyStop(List<EpochRecord> history, int bestEpoch, int patience) =>
        history.Count > 0 && history[^1].Epoch - bestEpoch >= patience;

    private enum Interruption { None, Cancelled, WallTime }

    private static (double Loss, long Trained, Interruption Interrupted) TrainEpoch(
        RnnModel model, AdamW optimizer, Benchmark benchmark, TrialConfig config, int bptt, int epoch,
        SeededRandom shuffle, Device device, CancellationToken cancellation, Stopwatch wall)
    {
        model.train();
        using var epochScope = NewDisposeScope();
        RecurrentState? carried = null;
        double sum = 0, count = 0;
        var windows = 0;
        foreach (var batch in benchmark.TrainingBatches(config.BatchSize, bptt, shuffle, epoch, config.MaxBatchesPerEpoch))
        {
            if (config.MaxBatchesPerEpoch is { } max && windows >= max) break;
            if (cancellation.IsCancellationRequested) return (sum / Math.Max(count, 1), (long)count, Interruption.Cancelled);
            using var scope = NewDisposeScope();
            var state = batch.ResetState || carried is null ? model.InitialState(batch.Rows, device) : carried;
            var (logits, next) = model.Forward(batch.Input(device), state);
            var (loss, metricSum, metricCount) = benchmark.Score(logits, batch, device);
            if (!double.IsFinite(metricSum)) return (double.NaN, (long)count, Interruption.None);
            optimizer.ZeroGrad();
            loss.backward();
            GradientClipping.ClipByGlobalNorm(model.parameters(), config.ClipNorm);
            optimizer.Step();
            carried = next.Detach().MoveToOuterDisposeScope();
            sum += metricSum;
            count += metricCount;
            windows++;
            if (config.MaxWallSeconds is { } limit && wall.Elapsed.TotalSeconds >= limit)
                return (sum / Math.Max(count, 1), (long)count, Interruption.WallTime);
        }
        return (sum / Math.Max(count, 1), (long)count, Interruption.None);
    }

    private static double Evaluate(RnnModel model, Benchmark benchmark, Split split, TrialConfig config, Device device)
    {
        model.eval();
        using var _ = no_grad();
        using var epochScope = NewDisposeScope();
        RecurrentState? carried = null;
        double sum = 0, count = 0;
        foreach (var batch in benchmark.Batches(split, config.EvalBatchSize, config.Bptt ?? benchmark.DefaultBptt, null))
        {
            using var scope = NewDisposeScope();
            var state = batch.ResetState || carried is null ? model.InitialState(batch.Rows, device) : carried;
            var (logits, next) = model.Forward(batch.Input(device), state);
            var (_, metricSum, metricCount) = benchmark.Score(logits, batch, device);
            carried = next.MoveToOuterDisposeScope();
            sum += metricSum;
            count += metricCount;
        }
        return benchmark.Metric(sum, count);
    }
}
