namespace RnnSearch.Coordinator.Report;

/// <summary>
/// A number from the literature, as docs/reference/literature.md records it: the task it is comparable on, the model,
/// its size, the value (same metric and direction as ours), where it comes from, and how well it was checked
/// (<see cref="Tag"/>: P, S, R; see <see cref="PublishedResults.TagMeanings"/>). <see cref="Cell"/> and
/// <see cref="Family"/> name our closest analogue, so the report can put our number beside it; null when we have none.
/// </summary>
public sealed record PublishedResult(
    string Task, string Model, string? Cell, string? Family, double Value, string Size, string Source, string Tag, string Note = "");
