using RnnSearch.Shared.Protocol;
using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Tasks;
using RnnSearch.TrainerNode.Models;
using RnnSearch.TrainerNode.Training;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Tests;

/// <summary>
/// TorchSharp 0.107 Scalars live in dispose scopes and are freed with them, and "a + b" creates one (alpha = 1)
/// per call; code that keeps a Scalar beyond its scope, or a temporary that the GC finalises while libtorch still
/// reads it, aborts training at random ("Unknown scalar type"). This test trains every cell kind and then whole
/// trials while another thread forces collections all the time.
/// </summary>
public class ScalarLifetimeTests
{
    [Fact]
    public async Task Training_survives_garbage_collections_running_alongside()
    {
        using var stop = new CancellationTokenSource();
        var collector = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        try
        {
            foreach (var text in new[] { "LSTM:hidden=8,transition_depth=2,shortcut=true", "GRU:hidden=8,gate_depth=2", "RNN:hidden=8,transition=highway,transition_depth=2", "LSTM:hidden=8,layers=2,residual=true,readout_depth=1", "GRU:hidden=8,transition_depth=2" })
            {
                var spec = ArchSpecParser.Parse(text);
                using var model = new RnnModel(spec, TaskShape.Dense(4, 4), preferBuiltin: false);
                using var optimizer = new AdamW(model.parameters(), 0.01);
                for (var step = 0; step < 150; step++)
                {
                    using var scope = NewDisposeScope();
                    using var x = rand(12, 3, 4);
                    var (logits, _) = model.Forward(x, model.InitialState(3, CPU));
                    var loss = nn.functional.binary_cross_entropy_with_logits(logits, x);
                    optimizer.ZeroGrad();
                    loss.backward();
                    GradientClipping.ClipByGlobalNorm(model.parameters(), 1.0);
                    optimizer.Step();
                }
            }

            // The whole trial path: data windows, scores, clipping, the optimizer, evaluation and checkpoints.
            foreach (var (task, spec) in new[] { ("jsb", "GRU:hidden=8,transition_depth=2,shortcut=true"), ("adding", "RNN:hidden=8,transition=highway,transition_depth=2"), ("copy", "LSTM:hidden=8,readout_depth=1") })
            {
                var result = new TrialRunner().Run(new TrialConfig
                {
                    Spec = spec, Task = task, MaxEpochs = 2, MaxBatchesPerEpoch = 10, BatchSize = 4, Length = 10, EvalBatchSize = 256,
                    DataDirectory = TestData.Directory, CheckpointDirectory = TestData.TemporaryDirectory(),
                });
                Assert.Equal(TrialStatus.Ok, result.Status);
            }
        }
        finally
        {
            stop.Cancel();
            await collector;
        }
    }
}
