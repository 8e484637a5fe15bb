using System.Text.RegularExpressions;

namespace RnnSearch.Shared.Architecture;

/// <summary>
/// The architecture names of the literature (docs/reference/architectures.md, "Names that must work") as specs:
/// RNN/GRU/LSTM, sRNN(-L), DT-, DT(S)-, DOT-, DOT(S)- (for RNN, GRU, LSTM), DI-/DO- prefixes, RHN-k.
/// Pascanu et al.'s deep transition and deep output are one hidden MLP layer deep (transition_depth=2, output_depth=1).
/// </summary>
public static partial class NamedArchitectures
{
    public static readonly IReadOnlyList<string> Examples =
    [
        "RNN", "GRU", "LSTM", "sRNN", "sRNN-3", "sGRU-2", "sLSTM-2", "DT-RNN", "DT(S)-RNN", "DOT-RNN", "DOT(S)-RNN",
        "DT-LSTM", "DT(S)-LSTM", "DOT-LSTM", "DOT(S)-LSTM", "DT-GRU", "DT(S)-GRU", "DOT-GRU", "DOT(S)-GRU",
        "DI-LSTM", "DO-LSTM", "DI-GRU", "DO-RNN", "RHN-1", "RHN-5",
    ];

    public const string Help = "RNN, GRU, LSTM, sRNN[-L], sGRU-L, sLSTM-L, DT-X, DT(S)-X, DOT-X, DOT(S)-X (X = RNN, GRU, LSTM), DI-<name>, DO-<name>, RHN-k";

    [GeneratedRegex(@"^s(RNN|GRU|LSTM)(?:-(\d+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex StackedPattern();

    [GeneratedRegex(@"^(DT|DOT)(\(S\))?-(RNN|GRU|LSTM)$", RegexOptions.IgnoreCase)]
    private static partial Regex DeepTransitionPattern();

    [GeneratedRegex(@"^RHN-(\d+)$", RegexOptions.IgnoreCase)]
    private static partial Regex HighwayPattern();

    /// <summary>Resolves a cell or architecture name to its spec, or returns null when the name is unknown.</summary>
    public static ArchSpec? Resolve(string name)
    {
        if (TryCell(name, out var cell)) return new ArchSpec { Cell = cell };

        if (name.StartsWith("DI-", StringComparison.OrdinalIgnoreCase) && Resolve(name[3..]) is { } inner)
            return inner with { InputDepth = inner.InputDepth + 1 };
        if (name.StartsWith("DO-", StringComparison.OrdinalIgnoreCase) && Resolve(name[3..]) is { } outer)
            return outer with { OutputDepth = outer.OutputDepth + 1 };

        if (StackedPattern().Match(name) is { Success: true } stacked)
        {
            TryCell(stacked.Groups[1].Value, out var stackedCell);
            var layers = stacked.Groups[2].Success ? ParseCount(name, stacked.Groups[2].Value) : 2;
            return new ArchSpec { Cell = stackedCell, Layers = layers };
        }
        if (DeepTransitionPattern().Match(name) is { Success: true } deep)
        {
            TryCell(deep.Groups[3].Value, out var deepCell);
            var withOutput = deep.Groups[1].Value.Equals("DOT", StringComparison.OrdinalIgnoreCase);
            return new ArchSpec
            {
                Cell = deepCell,
                TransitionDepth = 2,
                Shortcut = deep.Groups[2].Success,
                OutputDepth = withOutput ? 1 : 0,
            };
        }
        if (HighwayPattern().Match(name) is { Success: true } highway)
            return new ArchSpec { Cell = CellType.Rnn, Transition = TransitionKind.Highway, TransitionDepth = ParseCount(name, highway.Groups[1].Value) };
        return null;
    }

    private static int ParseCount(string name, string digits) =>
        int.TryParse(digits, out var value) && value >= 1 ? value
            : throw new SpecException($"'{name}': the number after '-' must be an integer >= 1");

    private static bool TryCell(string name, out CellType cell)
    {
        switch (name.ToUpperInvariant())
        {
            case "RNN": cell = CellType.Rnn; return true;
            case "GRU": cell = CellType.Gru; return true;
            case "LSTM": cell = CellType.Lstm; return true;
            default: cell = default; return false;
        }
    }
}
