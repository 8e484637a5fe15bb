using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Tasks;
using RnnSearch.TrainerNode.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Tests;

public class DropoutTests
{
    /// <summary>
    /// Dropout acts once on the first layer's input, whether it is the raw input or the input MLP's output: a fraction
    /// p of it is zero and the rest is scaled by 1/(1 − p). Dropping twice would zero 1 − (1 − p)² = 75 % and scale
    /// the rest by 4. Watched on the built-in LSTM's input, which is what the stack receives.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void The_first_recurrent_layer_sees_its_input_dropped_once(int inputDepth)
    {
        var spec = ArchSpecParser.Parse($"LSTM:hidden=32,input_depth={inputDepth},dropout=0.5");
        using var model = new RnnModel(spec, TaskShape.Dense(24, 4));
        Assert.True(model.UsesBuiltin);
        var lstm = model.modules().OfType<LSTM>().Single();
        Tensor? seen = null;
        lstm.register_forward_pre_hook((_, input, _) =>
        {
            seen = input.detach().clone();
            return null;
        });
        using var x = rand(40, 8, 24) + 0.1;
        model.eval();
        model.Forward(x, model.InitialState(8, CPU));
        using var clean = seen!;
        model.train();
        using var masks = new DropoutMasks(3);
        model.DropoutMasks = masks;
        model.Forward(x, model.InitialState(8, CPU));
        using var dropped = seen!;

        using var live = clean.ne(0);
        var zeroFraction = dropped.eq(0).logical_and(live).sum().item<long>() / (double)live.sum().item<long>();
        Assert.InRange(zeroFraction, 0.46, 0.54);
        if (inputDepth > 1) return; // an earlier MLP layer's dropout changes the values themselves
        using var kept = dropped.ne(0);
        var ratio = dropped.masked_select(kept) / clean.masked_select(kept);
        Assert.True((ratio - 2).abs().max().item<float>() < 1e-5f, $"kept values scaled by {ratio.min().item<float>()}..{ratio.max().item<float>()}, expected 2");
    }

    [Fact]
    public void Masks_follow_the_seed_and_the_epoch_and_are_off_outside_training()
    {
        var dropout = new SeededDropout(0.3);
        using var x = ones(1000);
        Assert.True(dropout.Apply(x, training: false).allclose(x, 0, 0));
        using var a = new DropoutMasks(7);
        using var b = new DropoutMasks(7);
        Tensor[] Epoch(DropoutMasks masks, int epoch)
        {
            dropout.Masks = masks;
            masks.BeginEpoch(epoch);
            return [dropout.Apply(x, training: true), dropout.Apply(x, training: true)];
        }
        var first = Epoch(a, 1);
        var again = Epoch(b, 1);
        var next = Epoch(a, 2);
        Assert.True(first[0].allclose(again[0], 0, 0) && first[1].allclose(again[1], 0, 0));
        Assert.False(first[0].allclose(first[1], 0, 0));
        Assert.False(first[0].allclose(next[0], 0, 0));
        Assert.True(Epoch(a, 1)[1].allclose(first[1], 0, 0), "an epoch restarted (a resume) draws its masks again");
        Assert.InRange(first[0].eq(0).sum().item<long>(), 250, 350);
        Assert.InRange(first[0].sum().item<float>(), 900, 1100); // E[sum] = 1000: kept ones are scaled by 1/0.7
    }
}
