namespace RnnSearch.Shared.Architecture;

/// <summary>Where a spec puts its extra depth; the leaderboard groups and tests by this.</summary>
public enum PlacementFamily
{
    Baseline,
    Stack,
    DeepInput,
    DeepTransition,
    DeepTransitionShortcut,
    MicroSteps,
    Highway,
    DeepReadout,
    DeepGates,
    DeepOutput,
    Combined,
}

public static class PlacementFamilyNames
{
    private static readonly Dictionary<PlacementFamily, string> Names = new()
    {
        [PlacementFamily.Baseline] = "baseline",
        [PlacementFamily.Stack] = "stack",
        [PlacementFamily.DeepInput] = "deep-input",
        [PlacementFamily.DeepTransition] = "deep-transition",
        [PlacementFamily.DeepTransitionShortcut] = "deep-transition-shortcut",
        [PlacementFamily.MicroSteps] = "micro-steps",
        [PlacementFamily.Highway] = "highway",
        [PlacementFamily.DeepReadout] = "deep-readout",
        [PlacementFamily.DeepGates] = "deep-gates",
        [PlacementFamily.DeepOutput] = "deep-output",
        [PlacementFamily.Combined] = "combined",
    };

    public static string Name(this PlacementFamily family) => Names[family];

    public static IReadOnlyCollection<string> All => Names.Values;

    public static bool TryParse(string name, out PlacementFamily family)
    {
        foreach (var (key, value) in Names)
        {
            if (string.Equals(value, name, StringComparison.OrdinalIgnoreCase)) { family = key; return true; }
        }
        family = default;
        return false;
    }
}
