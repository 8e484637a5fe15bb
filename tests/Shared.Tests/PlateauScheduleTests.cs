using RnnSearch.Shared.Tasks;

namespace RnnSearch.Shared.Tests;

public class PlateauScheduleTests
{
    [Fact]
    public void The_rate_is_halved_after_patience_flat_epochs_and_counting_restarts_after_each_cut()
    {
        // best at epoch 1, then flat: cuts after epochs 3 and 5 (patience 2)
        double[] valid = [5.0, 5.1, 5.2, 5.3, 5.4];
        Assert.Equal(0.01, PlateauSchedule.Rate(0.01, 2, valid.Take(2)));
        Assert.Equal(0.005, PlateauSchedule.Rate(0.01, 2, valid.Take(3)));
        Assert.Equal(0.005, PlateauSchedule.Rate(0.01, 2, valid.Take(4)));
        Assert.Equal(0.0025, PlateauSchedule.Rate(0.01, 2, valid));
    }

    [Fact]
    public void A_new_best_resets_the_count_and_the_rate_never_goes_below_its_floor()
    {
        Assert.Equal(0.01, PlateauSchedule.Rate(0.01, 2, [5.0, 5.1, 4.9, 5.0]));
        var flat = Enumerable.Repeat(7.0, 1000).Prepend(6.0);
        Assert.Equal(0.01 * PlateauSchedule.MinimumFraction, PlateauSchedule.Rate(0.01, 1, flat), 12);
    }

    [Fact]
    public void Without_patience_the_rate_is_constant()
    {
        Assert.Equal(0.003, PlateauSchedule.Rate(0.003, null, [5.0, 6.0, 7.0, 8.0]));
    }

    [Fact]
    public void Every_task_has_a_recipe_whose_lr_patience_is_shorter_than_its_early_stopping_patience()
    {
        foreach (var task in TaskCatalog.Names)
        {
            var recipe = TrainingRecipes.For(task);
            Assert.True(recipe.LrPatience < recipe.Patience, $"{task}: the rate must get a chance to drop before training stops");
            Assert.True(recipe.Epochs >= 1 && recipe.LearningRate > 0 && recipe.BatchSize >= 1 && recipe.Dropout is >= 0 and < 1, task);
        }
    }
}
