using System.Text.RegularExpressions;
using RnnSearch.TrainerNode.Tasks;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.TrainerNode.Tests;

public class DataValidationTests
{
    [Fact]
    public void The_sha256_table_matches_the_data_readme()
    {
        var readme = File.ReadAllText(Path.Combine(TestData.Directory, "README.md"));
        foreach (var (path, sha) in DataFiles.Sha256)
        {
            var row = readme.Split('\n').FirstOrDefault(line => line.Contains(Path.GetFileName(path)) && line.Contains(sha));
            Assert.True(row is not null, $"README lists no row with {path} and {sha}");
        }
        Assert.Equal(10, Regex.Matches(readme, @"\b[0-9a-f]{64}\b").Count);
    }

    [Fact]
    public void A_missing_data_file_is_one_line_naming_the_file_and_where_it_was_expected()
    {
        var empty = TestData.TemporaryDirectory();
        var error = Assert.Throws<DataException>(() => DataFiles.Verified(empty, "polyphonic/jsb_chorales.json.gz"));
        Assert.Contains("polyphonic/jsb_chorales.json.gz not found at " + Path.Combine(empty, "polyphonic/jsb_chorales.json.gz"), error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_modified_data_file_is_rejected_by_its_sha256()
    {
        var copy = TestData.TemporaryDirectory();
        Directory.CreateDirectory(Path.Combine(copy, "polyphonic"));
        var target = Path.Combine(copy, "polyphonic/jsb_chorales.json.gz");
        var bytes = File.ReadAllBytes(Path.Combine(TestData.Directory, "polyphonic/jsb_chorales.json.gz"));
        bytes[^5] ^= 0x1;
        File.WriteAllBytes(target, bytes);
        var error = Assert.Throws<DataException>(() => DataFiles.Verified(copy, "polyphonic/jsb_chorales.json.gz"));
        Assert.Contains("expected 2e387cc86977fa84dac377edde64ea869b61ab99338aeaad42537acf112a3a98", error.Message);
    }

    [Fact]
    public void The_real_data_loads_with_the_documented_split_sizes()
    {
        var jsb = (MusicBenchmark)BenchmarkCatalog.Get("jsb", TestData.Directory);
        Assert.Equal((229, 76, 77), (jsb.SequenceCount(Split.Train), jsb.SequenceCount(Split.Valid), jsb.SequenceCount(Split.Test)));
        // README: 13,807 / 4,602 / 4,725 time steps; one prediction per step after the first of each sequence.
        Assert.Equal(13_807 - 229, jsb.ScoredElements(Split.Train));
        Assert.Equal(4_725 - 77, jsb.ScoredElements(Split.Test));

        var ptb = (PtbBenchmark)BenchmarkCatalog.Get("ptb-word", TestData.Directory);
        Assert.Equal(929_589, ptb.StreamLength(Split.Train));
        Assert.Equal(82_430, ptb.StreamLength(Split.Test));
        var chars = (PtbBenchmark)BenchmarkCatalog.Get("ptb-char", TestData.Directory);
        Assert.Equal(50, chars.Vocabulary.Count);
        Assert.Equal(4_975_414 + 42_068, chars.StreamLength(Split.Train));
    }
}
