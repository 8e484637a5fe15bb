using RnnSearch.Shared.Protocol;
using RnnSearch.Shared.Tasks;
using RnnSearch.TrainerNode.Training;
using TorchSharp;

namespace RnnSearch.TrainerNode.Tests;

public class TrialRunnerTests
{
    private static TrialConfig Small(string? checkpoint = null, long seed = 5) => new()
    {
        Spec = "LSTM:hidden=16,dropout=0.1", Task = "jsb", MaxEpochs = 4, BatchSize = 8, MaxBatchesPerEpoch = 6, Seed = seed,
        LearningRate = 0.01, CheckpointDirectory = checkpoint, DataDirectory = TestData.Directory, Patience = 10,
    };

    [Fact]
    public void Same_seed_gives_the_same_numbers_and_another_seed_does_not()
    {
        TorchRuntime.SetThreads(1);
        var a = new TrialRunner().Run(Small());
        var b = new TrialRunner().Run(Small());
        var c = new TrialRunner().Run(Small(seed: 6));
        Assert.Equal(TrialStatus.Ok, a.Status);
        Assert.Equal(a.History.Select(h => (h.TrainLoss, h.ValidMetric)), b.History.Select(h => (h.TrainLoss, h.ValidMetric)));
        Assert.Equal(a.TestMetric, b.TestMetric);
        Assert.NotEqual(a.TestMetric, c.TestMetric);
        Assert.True(a.TestMetric < 30, $"test NLL {a.TestMetric} is not better than a blind guess");
    }

    [Fact]
    public void A_trial_resumed_from_its_checkpoint_ends_exactly_like_an_uninterrupted_one()
    {
        TorchRuntime.SetThreads(1);
        var uninterrupted = new TrialRunner().Run(Small(TestData.TemporaryDirectory()));

        var directory = TestData.TemporaryDirectory();
        using (var stop = new CancellationTokenSource())
        {
            var partial = new TrialRunner().Run(Small(directory), progress => { if (progress.Epoch == 2) stop.Cancel(); }, stop.Token);
            Assert.Equal(TrialStatus.Stopped, partial.Status);
            Assert.Equal(2, partial.Epochs);
        }
        var resumed = new TrialRunner().Run(Small(directory));
        Assert.Equal(2, resumed.ResumedFromEpoch);
        Assert.Equal(uninterrupted.History.Select(h => (h.TrainLoss, h.ValidMetric)), resumed.History.Select(h => (h.TrainLoss, h.ValidMetric)));
        Assert.Equal(uninterrupted.TestMetric, resumed.TestMetric);
        Assert.Equal(uninterrupted.BestEpoch, resumed.BestEpoch);
    }

    [Fact]
    public void A_corrupt_or_truncated_checkpoint_is_ignored_and_the_trial_retrains()
    {
        TorchRuntime.SetThreads(1);
        var reference = new TrialRunner().Run(Small());
        foreach (var damage in new Action<string>[] { p => File.WriteAllBytes(p, [1, 2, 3]), p => { var b = File.ReadAllBytes(p); File.WriteAllBytes(p, b[..(b.Length / 2)]); }, p => { var b = File.ReadAllBytes(p); b[b.Length / 2] ^= 0xff; File.WriteAllBytes(p, b); } })
        {
            var directory = TestData.TemporaryDirectory();
            using (var stop = new CancellationTokenSource())
                new TrialRunner().Run(Small(directory), p => { if (p.Epoch == 1) stop.Cancel(); }, stop.Token);
            damage(Checkpoint.PathIn(directory));
            var result = new TrialRunner().Run(Small(directory));
            Assert.Equal(TrialStatus.Ok, result.Status);
            Assert.Equal(0, result.ResumedFromEpoch);
            Assert.Equal(reference.TestMetric, result.TestMetric);
        }
    }

    [Fact]
    public void An_exploding_trial_ends_as_diverged_not_as_a_crash()
    {
        TorchRuntime.SetThreads(1);
        var result = new TrialRunner().Run(Small() with { Spec = "RNN:hidden=16", LearningRate = 1e30, ClipNorm = 1e30 });
        Assert.Equal(TrialStatus.Diverged, result.Status);
        Assert.True(result.Epochs >= 1);
    }

    [Fact]
    public void Live_tensors_stay_flat_over_epochs()
    {
        TorchRuntime.SetThreads(1);
        var live = new List<long>();
        var rss = new List<long>();
        var config = Small() with { Spec = "LSTM:hidden=16,transition_depth=2,shortcut=true,output_depth=1", MaxEpochs = 8, CheckpointDirectory = TestData.TemporaryDirectory() };
        new TrialRunner().Run(config, _ =>
        {
            live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            rss.Add(Environment.WorkingSet);
        });
        Assert.Equal(8, live.Count);
        // After the first epochs every epoch ends with exactly the same number of live tensors.
        Assert.All(live.Skip(2), count => Assert.Equal(live[2], count));
        // Resident memory is noisy (allocator caches, other processes): a loose bound; the live-tensor count above is exact.
        Assert.True(rss[^1] - rss[2] < 256L << 20, $"resident memory grew by {(rss[^1] - rss[2]) >> 20} MiB over 5 epochs");
    }

    [Fact]
    public void Every_task_trains_one_short_epoch()
    {
        TorchRuntime.SetThreads(1);
        foreach (var (task, spec) in new[] { ("nottingham", "GRU:hidden=8"), ("ptb-char", "LSTM:hidden=8"), ("ptb-word", "RNN:hidden=8"), ("adding", "LSTM:hidden=8"), ("copy", "GRU:hidden=8") })
        {
            var result = new TrialRunner().Run(new TrialConfig
            {
                Spec = spec, Task = task, MaxEpochs = 1, MaxBatchesPerEpoch = 3, BatchSize = 4, Length = 10, DataDirectory = TestData.Directory, EvalBatchSize = 512,
            });
            Assert.Equal(TrialStatus.Ok, result.Status);
            Assert.True(result.TestMetric is > 0 && double.IsFinite(result.TestMetric.Value), $"{task}: {result.TestMetric}");
        }
    }
}
