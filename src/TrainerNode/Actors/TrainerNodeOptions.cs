using RnnSearch.Shared.Tasks;
namespace RnnSearch.TrainerNode.Actors;

/// <summary>How this trainer node works: its name, slots, device, threads, data and whether it exits with the study.</summary>
public sealed record TrainerNodeOptions
{
    public required string NodeId { get; init; }
    public int Slots { get; init; } = 1;
    public int Threads { get; init; } = 1;
    public string Device { get; init; } = "cpu";
    public string? DataDirectory { get; init; }
    /// <summary>Exit when the coordinator says the study is complete (single-node mode), instead of idling for the next one.</summary>
    public bool ExitWhenDone { get; init; }
    /// <summary>Orchestrator benchmarks and fault tests only: train nothing, answer each trial after this delay.</summary>
    public TimeSpan? NoOpTrainerForBenchmarks { get; init; }
    public TimeSpan HelloInterval { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan ResendInterval { get; init; } = TimeSpan.FromSeconds(3);
}
