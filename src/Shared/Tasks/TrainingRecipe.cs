namespace RnnSearch.Shared.Tasks;

/// <summary>
/// How a task is trained when nothing says otherwise: the defaults of <c>train</c> and of every study file.
/// The learning rate follows reduce-on-plateau: it is halved after <see cref="LrPatience"/> epochs without a better
/// validation metric (see <see cref="PlateauSchedule"/>); training stops after <see cref="Patience"/> such epochs or
/// at <see cref="Epochs"/>. Each row is backed by a measured run in the README ("Default recipes").
/// </summary>
public sealed record TrainingRecipe(
    int Epochs, double LearningRate, int BatchSize, double Dropout, int Patience, int LrPatience, int? Bptt,
    double ClipNorm = 1.0, double WeightDecay = 0);

/// <summary>The recipe of every task, in one place.</summary>
public static class TrainingRecipes
{
    // Music: the README's JSB reference runs (batch 8, dropout 0.3, patience 15 reached 8.39 at 250k) with the
    // schedule added; the larger music sets have 5-18x more steps per epoch, so fewer epochs and a larger batch.
    private static readonly TrainingRecipe Jsb = new(Epochs: 200, LearningRate: 0.003, BatchSize: 8, Dropout: 0.3, Patience: 20, LrPatience: 6, Bptt: 200);
    private static readonly TrainingRecipe LargeMusic = new(Epochs: 60, LearningRate: 0.003, BatchSize: 16, Dropout: 0.2, Patience: 10, LrPatience: 3, Bptt: 200);
    // PTB: Zaremba et al. 2014 style (BPTT 35 words / 100 characters, dropout on words), halving on every flat epoch.
    private static readonly TrainingRecipe PtbWord = new(Epochs: 40, LearningRate: 0.002, BatchSize: 20, Dropout: 0.5, Patience: 4, LrPatience: 1, Bptt: 35);
    private static readonly TrainingRecipe PtbChar = new(Epochs: 30, LearningRate: 0.002, BatchSize: 32, Dropout: 0.1, Patience: 4, LrPatience: 1, Bptt: 100);
    // Synthetic memory tasks: fresh data has no overfitting, so no dropout; slow starters need patience.
    private static readonly TrainingRecipe Synthetic = new(Epochs: 100, LearningRate: 0.003, BatchSize: 32, Dropout: 0, Patience: 15, LrPatience: 5, Bptt: null);

    public static TrainingRecipe For(string task) => TaskCatalog.Get(task).Name switch
    {
        "jsb" => Jsb,
        "nottingham" or "musedata" or "piano" => LargeMusic,
        "ptb-word" => PtbWord,
        "ptb-char" => PtbChar,
        "adding" or "copy" => Synthetic,
        var name => throw new ArgumentException($"no training recipe for task '{name}'"),
    };
}
