using RnnSearch.Shared.Common;
using RnnSearch.TrainerNode.Tasks;

namespace RnnSearch.TrainerNode.Tests;

public class TrainingWindowsTests
{
    /// <summary>
    /// With --max-batches on a stream, epoch e trains windows (e − 1)·limit … e·limit − 1 of the stream's pass (around
    /// the end and back to the start), each starting a fresh state where it does not continue the previous window.
    /// </summary>
    [Fact]
    public void Limited_epochs_on_a_stream_train_successive_parts_of_it()
    {
        var chars = (PtbBenchmark)BenchmarkCatalog.Get("ptb-char", TestData.Directory);
        const int batch = 64, bptt = 100, limit = 9;
        var pass = chars.Batches(Split.Train, batch, bptt, null).ToList();
        var count = (int)chars.WindowCount(Split.Train, batch, bptt);
        Assert.Equal(count, pass.Count);
        var wrapping = count / limit + 1; // the epoch that reaches the end of the stream
        Assert.NotEqual(0, count % limit);

        var shuffle = new SeededRandom(1);
        foreach (var epoch in new[] { 1, 2, 3, wrapping, wrapping + 1 })
        {
            var windows = chars.TrainingBatches(batch, bptt, shuffle, epoch, limit).Take(limit).ToList();
            for (var i = 0; i < limit; i++)
            {
                var expected = ((epoch - 1) * limit + i) % count;
                Assert.Equal(pass[expected].TokenInput, windows[i].TokenInput);
                Assert.Equal(pass[expected].TokenTarget, windows[i].TokenTarget);
                Assert.Equal(i == 0 || expected == 0, windows[i].ResetState);
            }
        }
        Assert.Contains(chars.TrainingBatches(batch, bptt, shuffle, wrapping, limit).Take(limit), w => w.TokenInput!.SequenceEqual(pass[0].TokenInput!));

        // Without a limit, or with one that covers the pass, every epoch is the whole pass in stream order.
        foreach (var unlimited in new int?[] { null, count })
            Assert.Equal(pass.Select(w => w.TokenInput), chars.TrainingBatches(batch, bptt, shuffle, 5, unlimited).Select(w => w.TokenInput));
    }
}
