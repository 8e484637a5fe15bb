namespace RnnSearch.Coordinator.Studies;

/// <summary>One architecture of a study on one task, its size solved for a budget (or fixed by the spec).</summary>
public sealed record Candidate
{
    public long Id { get; init; }
    public required string Task { get; init; }
    public required string Cell { get; init; }
    /// <summary>The placement family (baseline, stack, deep-input, …) the leaderboard groups by.</summary>
    public required string Family { get; init; }
    /// <summary>Extra non-linear layers where the baseline has one (2 = one extra layer); 1 for the baseline.</summary>
    public required int Depth { get; init; }
    public long? Budget { get; init; }
    public required string Spec { get; init; }
    public required long Params { get; init; }
}
