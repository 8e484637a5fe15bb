using RnnSearch.Shared.Tasks;
namespace RnnSearch.TrainerNode.Training;

/// <summary>Everything one trial needs; the coordinator sends the same fields in its assignment message.</summary>
public sealed record TrialConfig
{
    public required string Spec { get; init; }
    public required string Task { get; init; }
    public long? Budget { get; init; }
    public int? Length { get; init; }
    public int MaxEpochs { get; init; } = 50;
    public double LearningRate { get; init; } = 0.003;
    public double WeightDecay { get; init; } = 0;
    public int BatchSize { get; init; } = 16;
    public int? Bptt { get; init; }
    public double ClipNorm { get; init; } = 1.0;
    public int Patience { get; init; } = 8;
    /// <summary>Reduce-on-plateau: halve the learning rate after this many epochs without a better validation metric; null keeps it constant.</summary>
    public int? LrPatience { get; init; }
    public double? MaxWallSeconds { get; init; }
    /// <summary>Train on at most this many windows per epoch (a short fixed budget on large sets such as PTB).</summary>
    public int? MaxBatchesPerEpoch { get; init; }
    public int EvalBatchSize { get; init; } = 64;
    public long Seed { get; init; } = 1;
    public string Device { get; init; } = "cpu";
    /// <summary>Folder for this trial's checkpoint; null for no checkpoints.</summary>
    public string? CheckpointDirectory { get; init; }
    public string? DataDirectory { get; init; }
    /// <summary>Run plain specs on TorchSharp's built-in module (the default) or force the generic layers.</summary>
    public bool PreferBuiltin { get; init; } = true;

    public string? Validate()
    {
        if (MaxEpochs < 1) return $"--epochs {MaxEpochs}: must be >= 1";
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) return $"--lr {LearningRate}: must be a positive number";
        if (WeightDecay < 0) return $"--weight-decay {WeightDecay}: must be >= 0";
        if (BatchSize < 1) return $"--batch {BatchSize}: must be >= 1";
        if (Bptt is < 1) return $"--bptt {Bptt}: must be >= 1";
        if (!(ClipNorm > 0)) return $"--clip {ClipNorm}: must be > 0";
        if (Patience < 1) return $"--patience {Patience}: must be >= 1";
        if (LrPatience is < 1) return $"--lr-patience {LrPatience}: must be >= 1";
        if (MaxWallSeconds is <= 0) return $"--max-seconds {MaxWallSeconds}: must be > 0";
        if (MaxBatchesPerEpoch is < 1) return $"--max-batches {MaxBatchesPerEpoch}: must be >= 1";
        if (Budget is < 1) return $"--budget {Budget}: must be >= 1";
        return null;
    }
}
