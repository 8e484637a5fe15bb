using RnnSearch.Coordinator.Studies;

namespace RnnSearch.Coordinator.Tests;

public class StudyFileTests
{
    [Theory]
    [InlineData("quick", 5, 30)]
    [InlineData("pascanu2013", 12, 60)]
    [InlineData("melis-depth", 6, 114)]
    public void Shipped_presets_load_and_expand(string preset, int candidates, int trials)
    {
        var study = StudyFile.Load(preset);
        var expansion = CandidateGenerator.Expand(study);
        Assert.Equal(candidates, expansion.Candidates.Count);
        Assert.Equal(trials, StudyPlan.For(study, expansion).Trials);
    }

    [Fact]
    public void The_placements_preset_covers_every_placement_cell_depth_budget_and_music_set()
    {
        var study = StudyFile.Load("placements");
        var candidates = CandidateGenerator.Expand(study).Candidates;
        Assert.Equal(4, candidates.Select(c => c.Task).Distinct().Count());
        Assert.Equal(3, candidates.Select(c => c.Cell).Distinct().Count());
        Assert.Equal(10, candidates.Select(c => c.Family).Distinct().Count());
        Assert.All(candidates, c => Assert.InRange(c.Params, c.Budget!.Value * 0.99, c.Budget.Value * 1.01));
    }

    [Fact]
    public void Quick_preset_matches_every_candidate_to_the_budget()
    {
        var candidates = CandidateGenerator.Expand(StudyFile.Load("quick")).Candidates;
        Assert.Equal(["baseline", "stack", "deep-input", "deep-transition-shortcut", "deep-output"], candidates.Select(c => c.Family));
        Assert.All(candidates, c => Assert.InRange(c.Params, 49_500, 50_500));
        // The fair protocol in the main job: the same learning-rate search for every candidate, tuning seed apart from the final seeds.
        var quick = StudyFile.Load("quick");
        Assert.Equal(SearchKind.Random, quick.Tuning.Search);
        Assert.NotNull(quick.Tuning.LearningRate);
        Assert.True(quick.Seeds.Count >= 3);
        Assert.DoesNotContain(quick.Tuning.Seed, quick.Seeds);
    }

    [Fact]
    public void Placements_a_cell_cannot_have_are_skipped_and_reported()
    {
        var study = TestStudies.Parse("""
            name = "skips"
            tasks = ["jsb"]
            cells = ["RNN", "GRU"]
            placements = ["baseline", "deep-readout", "deep-gates", "highway"]
            budgets = [50000]
            seeds = [1]
            """);
        var expansion = CandidateGenerator.Expand(study);
        Assert.Contains("RNN deep-readout (not defined for this cell)", expansion.Skipped);
        Assert.Contains("RNN deep-gates (not defined for this cell)", expansion.Skipped);
        Assert.Contains("GRU highway (not defined for this cell)", expansion.Skipped);
        Assert.Equal(["RNN baseline", "RNN highway", "GRU baseline", "GRU deep-gates"], expansion.Candidates.Select(c => $"{c.Cell} {c.Family}"));
    }

    [Fact]
    public void Task_restricted_specs_apply_to_their_task_only()
    {
        var study = TestStudies.Parse("""
            name = "sizes"
            tasks = ["jsb", "nottingham"]
            specs = ["RNN:hidden=20@jsb", "RNN:hidden=30@nottingham", "GRU:hidden=10"]
            seeds = [1]
            """);
        var specs = CandidateGenerator.Expand(study).Candidates.Select(c => $"{c.Task} {c.Spec}").ToList();
        Assert.Equal(["jsb RNN:hidden=20", "jsb GRU:hidden=10", "nottingham RNN:hidden=30", "nottingham GRU:hidden=10"], specs);
    }

    [Theory]
    [InlineData("name = \"x\"\ntasks = [\"jsb\"\nseeds = [1]", "invalid TOML")]
    [InlineData("name = \"x\"\ntasks = [\"jsb\"]\nseeds = [1]\nspecs = [\"LSTM:hidden=4\"]\nbogus = 1", "unknown key 'bogus'")]
    [InlineData("name = \"x\"\ntasks = [\"jsb\"]\nseeds = [1]\nspecs = [\"LSTM:hidden=4\"]\n[training]\nlr = \"fast\"", "'training.lr' must be a number")]
    [InlineData("name = \"x\"\ntasks = [\"mnist\"]\nseeds = [1]\nspecs = [\"LSTM:hidden=4\"]", "unknown task 'mnist'")]
    [InlineData("name = \"x\"\ntasks = [\"jsb\"]\nseeds = [1]\nspecs = [\"LSTM:hidden=4\"]\n[fidelity]\nasha = true", "fidelity.asha stops weak tuning draws and needs tuning.search")]
    [InlineData("name = \"x\"\ntasks = [\"jsb\"]\nseeds = [1, 1]\nspecs = [\"LSTM:hidden=4\"]", "every seed must be different")]
    [InlineData("name = \"x\"\ntasks = [\"jsb\"]\nseeds = [1]\nspecs = [\"LSTM:hidden=4,layers=0\"]", "layers=0 is not allowed")]
    [InlineData("name = \"x\"\ntasks = [\"jsb\"]\nseeds = [1]", "nothing to run")]
    [InlineData("name = \"x\"\ntasks = [\"jsb\"]\nseeds = [1]\ncells = [\"LSTM\"]\nplacements = [\"sideways\"]\nbudgets = [5000]", "unknown placement 'sideways'")]
    [InlineData("name = \"x\"\ntasks = [\"jsb\"]\nseeds = [1]\nspecs = [\"LSTM\"]", "specs without hidden need budgets")]
    [InlineData("name = \"a b\"\ntasks = [\"jsb\"]\nseeds = [1]\nspecs = [\"LSTM:hidden=4\"]", "must be 1-64 letters")]
    [InlineData("name = \"x\"\ntasks = [\"jsb\"]\nseeds = [1]\nspecs = [\"LSTM:hidden=4\"]\n[tuning]\nsearch = \"grid\"", "tuning.search = \"grid\" is not allowed")]
    public void Invalid_or_contradictory_study_files_fail_with_one_line_naming_the_problem(string toml, string expected)
    {
        var error = Assert.Throws<StudyFileException>(() => StudyFile.Parse(toml, "bad.toml"));
        Assert.Contains(expected, error.Message);
        Assert.StartsWith("bad.toml: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_budget_no_size_can_meet_is_a_clear_study_error()
    {
        var study = TestStudies.Parse("name = \"x\"\ntasks = [\"jsb\"]\nseeds = [1]\ncells = [\"LSTM\"]\nplacements = [\"baseline\"]\nbudgets = [150]");
        var error = Assert.Throws<StudyFileException>(() => CandidateGenerator.Expand(study));
        Assert.Contains("no size of 'LSTM' fits budget 150", error.Message);
    }

    [Fact]
    public void Unknown_presets_and_missing_files_are_named()
    {
        Assert.Contains("unknown preset 'quik'", Assert.Throws<StudyFileException>(() => StudyFile.Load("quik")).Message);
        Assert.Contains("study file /nope/s.toml not found", Assert.Throws<StudyFileException>(() => StudyFile.Load("/nope/s.toml")).Message);
    }

    [Fact]
    public void The_file_hash_identifies_the_exact_text()
    {
        var a = TestStudies.Parse(TestStudies.Tiny);
        var b = TestStudies.Parse(TestStudies.Tiny + "\n# a comment");
        Assert.NotEqual(a.FileHash, b.FileHash);
        Assert.StartsWith("tiny-", a.Id);
    }
}
