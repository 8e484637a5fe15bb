using RnnSearch.Shared.Protocol;
using RnnSearch.TrainerNode.Training;

namespace RnnSearch.TrainerNode.Tests;

/// <summary>Whole trials on a CUDA device (skipped, with the reason, where libtorch sees none).</summary>
public class GpuTrainingTests
{
    private static TrialConfig Small(string spec, string? checkpoint = null, int epochs = 3) => new()
    {
        Spec = spec, Task = "jsb", MaxEpochs = epochs, BatchSize = 8, MaxBatchesPerEpoch = 5, Seed = 3, LearningRate = 0.01,
        CheckpointDirectory = checkpoint, DataDirectory = TestData.Directory, Patience = 10, Device = "cuda",
    };

    [CudaFact]
    public void A_trial_trains_on_cuda_and_records_the_device()
    {
        TorchRuntime.SetThreads(1);
        foreach (var spec in new[] { "LSTM:hidden=32", "LSTM:hidden=16,transition_depth=2,shortcut=true,dropout=0.1", "GRU:hidden=16,layers=2,input_depth=1" })
        {
            var result = new TrialRunner().Run(Small(spec));
            Assert.Equal(TrialStatus.Ok, result.Status);
            Assert.Equal("cuda:0", result.Device);
            Assert.True(result.TestMetric < 30, $"{spec}: test NLL {result.TestMetric} is not better than a blind guess");
            Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss, $"{spec}: training loss did not fall");
        }
    }

    [CudaFact]
    public void A_cuda_trial_resumes_from_its_checkpoint_and_keeps_learning()
    {
        TorchRuntime.SetThreads(1);
        var directory = TestData.TemporaryDirectory();
        using (var stop = new CancellationTokenSource())
        {
            var partial = new TrialRunner().Run(Small("LSTM:hidden=16,gate_depth=2", directory, epochs: 4), p => { if (p.Epoch == 2) stop.Cancel(); }, stop.Token);
            Assert.Equal(2, partial.Epochs);
        }
        var resumed = new TrialRunner().Run(Small("LSTM:hidden=16,gate_depth=2", directory, epochs: 4));
        Assert.Equal(2, resumed.ResumedFromEpoch);
        Assert.Equal(TrialStatus.Ok, resumed.Status);
        Assert.Equal(4, resumed.History.Count);
        Assert.True(resumed.History[3].TrainLoss < resumed.History[1].TrainLoss, "training did not go on after the resume (an optimizer stepping orphaned parameters leaves the loss flat)");
    }
}
