using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Tasks;
using RnnSearch.TrainerNode.Training;

namespace RnnSearch.TrainerNode.Tests;

public class GpuMemoryEstimateTests
{
    private static readonly TaskShape Music = TaskShape.Dense(88, 88);

    [Fact]
    public void The_per_trial_estimate_is_parameters_times_16_plus_kept_activations_plus_slack()
    {
        var spec = ArchSpecParser.Parse("LSTM:hidden=128");
        // 16 × 100,000 + 4 × 32 × 100 × (24 × 1 × 128 × 1 + 3 × 88 + 88) + 64 MiB
        Assert.Equal(1_600_000L + 4L * 32 * 100 * (3072 + 264 + 88) + (64L << 20), GpuMemoryEstimate.PerTrialBytes(spec, Music, 100_000, 32, 100));
    }

    [Fact]
    public void Deeper_cells_longer_windows_and_larger_batches_need_more()
    {
        var plain = ArchSpecParser.Parse("LSTM:hidden=128");
        var deep = ArchSpecParser.Parse("LSTM:hidden=128,transition_depth=2,shortcut=true");
        Assert.Equal(1.5, GpuMemoryEstimate.DepthFactor(deep));
        Assert.True(GpuMemoryEstimate.PerTrialBytes(deep, Music, 1000, 8, 200) > GpuMemoryEstimate.PerTrialBytes(plain, Music, 1000, 8, 200));
        Assert.True(GpuMemoryEstimate.PerTrialBytes(plain, Music, 1000, 8, 400) > GpuMemoryEstimate.PerTrialBytes(plain, Music, 1000, 8, 200));
        Assert.True(GpuMemoryEstimate.PerTrialBytes(plain, Music, 1000, 16, 200) > GpuMemoryEstimate.PerTrialBytes(plain, Music, 1000, 8, 200));
        Assert.True(GpuMemoryEstimate.PerTrialBytes(ArchSpecParser.Parse("RNN:hidden=128"), Music, 1000, 8, 200) < GpuMemoryEstimate.PerTrialBytes(plain, Music, 1000, 8, 200));
    }

    [Fact]
    public void Slots_that_fit_leave_the_process_overhead_and_a_tenth_of_the_gpu_free()
    {
        const long gib = 1L << 30;
        Assert.Equal(71, GpuMemoryEstimate.SlotsThatFit(80 * gib, gib)); // (72 − 1) GiB / 1 GiB
        Assert.Equal(0, GpuMemoryEstimate.SlotsThatFit(gib, gib));
    }
}
