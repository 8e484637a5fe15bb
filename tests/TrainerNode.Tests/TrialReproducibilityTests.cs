using RnnSearch.Shared.Protocol;
using RnnSearch.TrainerNode.Training;

namespace RnnSearch.TrainerNode.Tests;

/// <summary>
/// A trainer node runs several slots as threads of one process: a trial's numbers must depend on its seed alone,
/// not on what the other slots draw from torch at the same time.
/// </summary>
public class TrialReproducibilityTests
{
    private static TrialConfig Config(string spec, long seed) => new()
    {
        Spec = spec, Task = "jsb", MaxEpochs = 2, BatchSize = 8, MaxBatchesPerEpoch = 5, Seed = seed, LearningRate = 0.01,
        DataDirectory = TestData.Directory, Patience = 10,
    };

    /// <summary>Built-in multi-layer stack with inter-layer dropout, and generic layers with input and output MLPs.</summary>
    [Theory]
    [InlineData("LSTM:hidden=16,layers=2,dropout=0.3")]
    [InlineData("GRU:hidden=12,input_depth=1,transition_depth=2,output_depth=1,dropout=0.25")]
    public void A_trial_gives_the_same_numbers_alone_and_next_to_a_concurrent_trial(string spec)
    {
        TorchRuntime.SetThreads(1);
        var (alone, together, other) = AloneAndTogether(Config(spec, seed: 5));
        Assert.Equal(alone.History.Select(h => (h.TrainLoss, h.ValidMetric)), together.History.Select(h => (h.TrainLoss, h.ValidMetric)));
        Assert.Equal(alone.TestMetric, together.TestMetric);
        Assert.NotEqual(alone.History[0].TrainLoss, other.History[0].TrainLoss);
    }

    /// <summary>
    /// On CUDA the masks come from the device's default generator, seeded per mask under a lock (Models/DropoutMasks.cs).
    /// GPU kernels may sum in another order from run to run, so the numbers must agree closely rather than bit for bit;
    /// other masks would move them by orders of magnitude more.
    /// </summary>
    [CudaFact]
    public void A_cuda_trial_gives_the_same_numbers_alone_and_next_to_a_concurrent_trial()
    {
        var (alone, together, _) = AloneAndTogether(Config("LSTM:hidden=16,layers=2,input_depth=1,dropout=0.3", seed: 5) with { Device = "cuda" });
        foreach (var (a, b) in alone.History.Zip(together.History))
        {
            Assert.Equal(a.TrainLoss, b.TrainLoss, 1e-6 * Math.Abs(a.TrainLoss));
            Assert.Equal(a.ValidMetric, b.ValidMetric, 1e-6 * Math.Abs(a.ValidMetric));
        }
        Assert.Equal(alone.History.Count, together.History.Count);
    }

    /// <summary>The trial alone, then again on one of two threads started together, beside a neighbour with another seed.</summary>
    private static (TrialResult Alone, TrialResult Together, TrialResult Neighbour) AloneAndTogether(TrialConfig config)
    {
        var alone = new TrialRunner().Run(config);
        // The neighbour trains longer with another seed, so it draws random numbers during the whole of the other trial.
        var neighbour = config with { Seed = config.Seed + 4, MaxEpochs = 3, MaxBatchesPerEpoch = 8 };
        TrialResult? together = null, other = null;
        Exception? failure = null;
        using var start = new Barrier(2);
        var threads = new[]
        {
            new Thread(() => { try { start.SignalAndWait(); together = new TrialRunner().Run(config); } catch (Exception e) { failure = e; } }),
            new Thread(() => { try { start.SignalAndWait(); other = new TrialRunner().Run(neighbour); } catch (Exception e) { failure = e; } }),
        };
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        Assert.Null(failure);
        Assert.Equal(TrialStatus.Ok, alone.Status);
        Assert.Equal(TrialStatus.Ok, together!.Status);
        Assert.Equal(TrialStatus.Ok, other!.Status);
        return (alone, together, other);
    }
}
