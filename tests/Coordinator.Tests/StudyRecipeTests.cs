using RnnSearch.Coordinator.Studies;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Coordinator.Tests;

public class StudyRecipeTests
{
    private const string TwoTasks = """
        name = "r"
        tasks = ["jsb", "ptb-char"]
        specs = ["LSTM:hidden=8"]
        seeds = [1]
        """;

    [Fact]
    public void What_a_study_file_leaves_out_comes_from_each_tasks_recipe()
    {
        var study = StudyFile.Parse(TwoTasks, "r.toml");
        foreach (var task in new[] { "jsb", "ptb-char" })
        {
            var recipe = TrainingRecipes.For(task);
            var t = study.TrainingFor(task);
            Assert.Equal((recipe.LearningRate, recipe.BatchSize, recipe.Dropout, recipe.Patience, (int?)recipe.LrPatience, recipe.Bptt, recipe.Epochs),
                (t.LearningRate, t.BatchSize, t.Dropout, t.Patience, t.LrPatience, t.Bptt, t.MaxEpochs));
        }
        Assert.NotEqual(study.TrainingFor("jsb").BatchSize, study.TrainingFor("ptb-char").BatchSize);
        Assert.Equal(TrainingRecipes.For("jsb").Epochs, study.MaxEpochs);
    }

    [Fact]
    public void What_a_study_file_says_overrides_the_recipe_for_every_task_and_lr_patience_0_keeps_the_rate()
    {
        var study = StudyFile.Parse(TwoTasks + "\n[training]\nlr = 0.01\nbatch = 4\nlr_patience = 0\n[fidelity]\nmax_epochs = 7\n", "r.toml");
        foreach (var task in new[] { "jsb", "ptb-char" })
        {
            var t = study.TrainingFor(task);
            Assert.Equal((0.01, 4, (int?)null, 7), (t.LearningRate, t.BatchSize, t.LrPatience, t.MaxEpochs));
            Assert.Equal(TrainingRecipes.For(task).Dropout, t.Dropout);
        }
    }

    [Fact]
    public void A_negative_lr_patience_is_refused_in_one_line()
    {
        var e = Assert.Throws<StudyFileException>(() => StudyFile.Parse(TwoTasks + "\n[training]\nlr_patience = -1\n", "r.toml"));
        Assert.Equal("r.toml: training.lr_patience must be >= 1 (or 0 for a constant learning rate)", e.Message);
    }
}
