using RnnSearch.Shared.Architecture;
using RnnSearch.TrainerNode.Training;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Tests;

public class KernelTimingTests
{
    private static readonly KernelTiming.Setup Tiny = new(CPU, Batch: 2, Steps: 5, Inputs: 6, Warmup: 1, Timed: 1);

    [Fact]
    public void The_table_has_the_builtin_reference_the_same_lstm_generic_and_each_deep_spec_per_hidden_size()
    {
        TorchRuntime.SetThreads(1);
        var rows = KernelTiming.Table([8, 12], ["LSTM:gate_depth=2"], Tiny);
        Assert.Equal(6, rows.Count);
        Assert.Equal(["built-in", "generic", "generic"], rows.Take(3).Select(r => r.Path));
        Assert.Equal(["LSTM:hidden=8", "LSTM:hidden=8", "LSTM:hidden=8,gate_depth=2"], rows.Take(3).Select(r => r.Spec));
        Assert.All(rows.Where(r => r.Path == "built-in"), r => Assert.Equal(1.0, r.RatioToBuiltin));
        Assert.Equal(rows[0].Params, rows[1].Params); // the same LSTM on both paths
        Assert.True(rows[2].Params > rows[1].Params);
        Assert.All(rows, r => Assert.True(r.MsPerStep > 0 && r.EstimatedTrialBytes > 0));
        Assert.Equal(12, rows[3].Hidden);
        Assert.All(rows.Where(r => r.Path == "generic"), r => Assert.True(r.RatioToBuiltin > 0));
    }

    [Fact]
    public void Only_plain_specs_run_on_the_builtin_module()
    {
        var e = Assert.Throws<ArgumentException>(() => KernelTiming.Measure(ArchSpecParser.Parse("LSTM:hidden=8,gate_depth=2"), builtin: true, Tiny));
        Assert.Contains("only plain specs run on the built-in module", e.Message);
    }
}
