using RnnSearch.Shared.Tasks;

namespace RnnSearch.Coordinator.Studies;

/// <summary>A study as its TOML file describes it (docs/studies.md lists every key).</summary>
public sealed record StudyDefinition
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public required IReadOnlyList<string> Tasks { get; init; }
    public IReadOnlyList<string> Cells { get; init; } = [];
    public IReadOnlyList<string> Placements { get; init; } = [];
    public IReadOnlyList<int> Depths { get; init; } = [2];
    public IReadOnlyList<long> Budgets { get; init; } = [];
    /// <summary>Explicit specs (with or without hidden) next to, or instead of, the generated grid.</summary>
    public IReadOnlyList<string> Specs { get; init; } = [];
    public required IReadOnlyList<long> Seeds { get; init; }
    public TrainingSettings Training { get; init; } = new();
    public TuningSettings Tuning { get; init; } = new();
    public FidelitySettings Fidelity { get; init; } = new();
    public LimitSettings Limits { get; init; } = new();
    /// <summary>SHA-256 of the study file's text; a store resumes a study only with the same hash.</summary>
    public string FileHash { get; init; } = "";
    public string SourceText { get; init; } = "";

    public string Id => $"{Name}-{FileHash[..Math.Min(8, FileHash.Length)]}";

    /// <summary>The training settings of one task: the file's values where it gives them, else the task's recipe.</summary>
    public ResolvedTraining TrainingFor(string task)
    {
        var recipe = TrainingRecipes.For(task);
        var t = Training;
        return new ResolvedTraining(
            t.LearningRate ?? recipe.LearningRate, t.Dropout ?? recipe.Dropout, t.WeightDecay ?? recipe.WeightDecay, t.BatchSize ?? recipe.BatchSize,
            t.ClipNorm ?? recipe.ClipNorm, t.Patience ?? recipe.Patience, t.LrPatience is { } p ? (p == 0 ? null : p) : recipe.LrPatience,
            t.Bptt ?? recipe.Bptt, t.Length, t.MaxBatchesPerEpoch, Fidelity.MaxEpochs ?? recipe.Epochs);
    }

    /// <summary>The largest epoch budget of any task of the study (ASHA's top rung, cost bounds).</summary>
    public int MaxEpochs => Tasks.Count == 0 ? Fidelity.MaxEpochs ?? 1 : Tasks.Max(task => TrainingFor(task).MaxEpochs);
}

/// <summary>Everything a trial of one task is trained with, before tuning draws its hyper-parameters.</summary>
public sealed record ResolvedTraining(
    double LearningRate, double Dropout, double WeightDecay, int BatchSize, double ClipNorm, int Patience, int? LrPatience,
    int? Bptt, int? Length, int? MaxBatchesPerEpoch, int MaxEpochs);

/// <summary>Fixed hyper-parameters, and the defaults of what tuning does not draw; null = the task's recipe (TrainingRecipes).</summary>
public sealed record TrainingSettings
{
    public double? LearningRate { get; init; }
    public double? Dropout { get; init; }
    public double? WeightDecay { get; init; }
    public int? BatchSize { get; init; }
    public double? ClipNorm { get; init; }
    public int? Patience { get; init; }
    /// <summary>Reduce-on-plateau patience of the learning rate; 0 keeps the rate constant.</summary>
    public int? LrPatience { get; init; }
    public int? Bptt { get; init; }
    public int? Length { get; init; }
    public int? MaxBatchesPerEpoch { get; init; }
}

public enum SearchKind { None, Random, Tpe }

/// <summary>How each candidate's hyper-parameters are tuned; every candidate gets the same number of draws.</summary>
public sealed record TuningSettings
{
    public SearchKind Search { get; init; } = SearchKind.None;
    public int Draws { get; init; } = 1;
    public (double Low, double High)? LearningRate { get; init; }
    public (double Low, double High)? Dropout { get; init; }
    public (double Low, double High)? WeightDecay { get; init; }
    public IReadOnlyList<int> BatchSizes { get; init; } = [];
    /// <summary>Seed of the search itself (what is drawn), independent of the training seeds.</summary>
    public long SearchSeed { get; init; } = 12345;
    /// <summary>
    /// Training seed of every tuning draw (one seed, so draws differ only in their hyper-parameters); never one of
    /// the study's final seeds, so no final trial repeats a tuning run.
    /// </summary>
    public long Seed { get; init; } = DefaultSeed;
    /// <summary>
    /// Draws of one candidate that may run at once: draw k is suggested from the results of draws 0..k-parallel
    /// only (the draws in between count as bad, a constant liar), so what is drawn never depends on completion order.
    /// </summary>
    public int Parallel { get; init; } = 2;

    public const long DefaultSeed = 1000;
}

/// <summary>Epoch budget of each trial and ASHA's early stopping of weak tuning draws.</summary>
public sealed record FidelitySettings
{
    /// <summary>Epoch budget of every trial; null = each task's recipe.</summary>
    public int? MaxEpochs { get; init; }
    public bool Asha { get; init; }
    public int MinEpochs { get; init; } = 2;
    public int ReductionFactor { get; init; } = 3;
}

public sealed record LimitSettings
{
    /// <summary>Wall-time limit of one trial (it ends as "stopped" with its best epoch so far).</summary>
    public double? TrialSeconds { get; init; }
    /// <summary>How many attempts a trial may use before it is recorded as failed.</summary>
    public int MaxAttempts { get; init; } = 5;
}
