using RnnSearch.Shared.Common;
using RnnSearch.Shared.Tasks;
using RnnSearch.TrainerNode.Tasks;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Tests;

public class MetricTests
{
    [Fact]
    public void Music_windows_mask_padded_steps_and_predict_the_next_frame()
    {
        var jsb = BenchmarkCatalog.Get("jsb", TestData.Directory);
        long real = 0;
        foreach (var window in jsb.Batches(Split.Valid, 16, 50, null))
        {
            real += (long)window.Mask!.Sum();
            var mask = window.Mask!;
            for (var t = 0; t < (int)window.Steps; t++)
                for (var b = 0; b < (int)window.Rows; b++)
                {
                    var masked = mask[t * window.Rows + b] == 0;
                    var offset = (int)((t * window.Rows + b) * 88);
                    if (masked)
                        Assert.True(window.DenseInput![(offset)..((offset) + 88)].All(v => v == 0) && window.DenseTarget![(offset)..((offset) + 88)].All(v => v == 0));
                    else if (t + 1 < window.Steps && mask[(t + 1) * window.Rows + b] == 1)
                        // The target of step t is the input of step t + 1.
                        Assert.Equal(window.DenseTarget![(offset)..((offset) + 88)], window.DenseInput![((int)(((t + 1) * window.Rows + b) * 88))..(((int)(((t + 1) * window.Rows + b) * 88)) + 88)]);
                }
        }
        Assert.Equal(jsb.ScoredElements(Split.Valid), real);
    }

    [Fact]
    public void Music_nll_is_summed_over_keys_and_averaged_over_real_steps_only()
    {
        var jsb = BenchmarkCatalog.Get("jsb", TestData.Directory);
        // Two rows, three steps; row 1 has one real step. Logits 0 give p = 0.5 on every key: ln 2 per key.
        // Row 0, step 0: logit +2 on key 0 whose target is 1: −ln σ(2) instead of ln 2.
        var target = new float[3 * 2 * 88];
        target[0] = 1;
        var mask = new float[] { 1, 1, 1, 0, 1, 0 };
        var batch = new BatchData(3, 2, [3, 2, 88], new float[3 * 2 * 88], null, [3, 2, 88], target, null, mask, true);
        var logitValues = new float[3 * 2 * 88];
        logitValues[0] = 2;
        using var logits = tensor(logitValues, [3, 2, 88]);
        var (loss, sum, count) = jsb.Score(logits, batch, CPU);
        var expected = 4 * 88 * Math.Log(2) - Math.Log(2) + -Math.Log(1 / (1 + Math.Exp(-2)));
        Assert.Equal(4, count);
        Assert.Equal(expected, sum, 3);
        Assert.Equal(expected / 4, loss.item<float>(), 3);
        Assert.Equal(expected / 4, jsb.Metric(sum, count), 3);
    }

    [Fact]
    public void Ptb_word_metric_is_perplexity_and_char_metric_is_bits_per_character()
    {
        var words = BenchmarkCatalog.Get("ptb-word", TestData.Directory);
        var chars = BenchmarkCatalog.Get("ptb-char", TestData.Directory);
        // Uniform predictions: cross-entropy ln V per token → perplexity V, and log2 V bits.
        var wordBatch = words.Batches(Split.Valid, 4, 5, null).First();
        using var uniformWords = zeros(5, 4, 10_000);
        var (_, wordSum, wordCount) = words.Score(uniformWords, wordBatch, CPU);
        Assert.Equal(10_000, words.Metric(wordSum, wordCount), 0);
        var charBatch = chars.Batches(Split.Valid, 4, 5, null).First();
        using var uniformChars = zeros(5, 4, 50);
        var (_, charSum, charCount) = chars.Score(uniformChars, charBatch, CPU);
        Assert.Equal(Math.Log2(50), chars.Metric(charSum, charCount), 4);
    }

    [Fact]
    public void Ptb_windows_follow_the_stream_row_by_row()
    {
        var words = BenchmarkCatalog.Get("ptb-word", TestData.Directory);
        var windows = words.Batches(Split.Valid, 4, 7, null).Take(2).ToList();
        Assert.True(windows[0].ResetState);
        Assert.False(windows[1].ResetState);
        // The last input of window 0 in row b is followed by the first input of window 1 in the same row.
        for (var b = 0; b < 4; b++)
            Assert.Equal(windows[0].TokenTarget![6 * 4 + b], windows[1].TokenInput![b]);
    }

    [Fact]
    public void Adding_problem_targets_are_the_sum_of_the_two_marked_values()
    {
        var adding = BenchmarkCatalog.Get("adding", "", length: 20);
        var batch = adding.Batches(Split.Train, 8, 20, new SeededRandom(1)).First();
        for (var b = 0; b < batch.Rows; b++)
        {
            double sum = 0;
            var markers = 0;
            for (var t = 0; t < 20; t++)
            {
                if (batch.DenseInput![(t * batch.Rows + b) * 2 + 1] == 1f) { sum += batch.DenseInput[(t * batch.Rows + b) * 2]; markers++; }
            }
            Assert.Equal(2, markers);
            Assert.Equal(sum, batch.DenseTarget![b], 5);
        }
        // Predicting 0.5 where the target is 1.0 for every row: MSE 0.25.
        var constant = new BatchData(20, 2, [20, 2, 2], new float[80], null, [2, 1], [1f, 1f], null, null, true);
        using var logits = full(20, 2, 1, 0.5f);
        var (_, mseSum, mseCount) = adding.Score(logits, constant, CPU);
        Assert.Equal(0.25, adding.Metric(mseSum, mseCount), 5);
    }

    [Fact]
    public void Copy_task_scores_cross_entropy_on_the_copied_symbols_only()
    {
        var copy = BenchmarkCatalog.Get("copy", "", length: 5);
        var batch = copy.Batches(Split.Test, 3, 25, null).First();
        Assert.Equal(25, batch.Steps);
        // Uniform logits: ln 10 per copied symbol.
        using var logits = zeros(25, 3, 10);
        var (_, sum, count) = copy.Score(logits, batch, CPU);
        Assert.Equal(30, count);
        Assert.Equal(Math.Log(10), copy.Metric(sum, count), 4);
        // The last 10 targets repeat the first 10 inputs.
        for (var b = 0; b < 3; b++)
            for (var k = 0; k < 10; k++)
            {
                var symbol = Enumerable.Range(0, 10).First(c => batch.DenseInput![(k * 3 + b) * 10 + c] == 1f);
                Assert.Equal(symbol, batch.TokenTarget![(15 + k) * 3 + b]);
            }
    }

    [Fact]
    public void Every_catalogue_task_has_the_shape_its_data_has()
    {
        foreach (var info in TaskCatalog.Tasks)
        {
            var benchmark = BenchmarkCatalog.Get(info.Name, TestData.Directory);
            var batch = benchmark.Batches(Split.Valid, 2, 3, null).First();
            if (info.Shape.TokenInput) Assert.True(batch.TokenInput!.All(t => t >= 0 && t < info.Shape.InputSize));
            else Assert.Equal(info.Shape.InputSize, batch.InputShape[^1]);
        }
    }
}
