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
}

/// <summary>Fixed hyper-parameters, and the defaults of what tuning does not draw.</summary>
public sealed record TrainingSettings
{
    public double LearningRate { get; init; } = 0.003;
    public double Dropout { get; init; }
    public double WeightDecay { get; init; }
    public int BatchSize { get; init; } = 16;
    public double ClipNorm { get; init; } = 1.0;
    public int Patience { get; init; } = 8;
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
    /// <summary>Seed of the search itself (draw order), independent of the training seeds.</summary>
    public long SearchSeed { get; init; } = 12345;
}

/// <summary>Epoch budget of each trial and ASHA's early stopping of weak tuning draws.</summary>
public sealed record FidelitySettings
{
    public int MaxEpochs { get; init; } = 30;
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
