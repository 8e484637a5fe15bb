using System.Globalization;

namespace RnnSearch.Shared.Architecture;

/// <summary>
/// Reads <c>CELL[:key=value,...]</c> where CELL is RNN, GRU, LSTM or a named architecture
/// (<see cref="NamedArchitectures"/>); keys override the name's defaults. Every failure is a
/// <see cref="SpecException"/> whose message names the offending part and what is allowed.
/// </summary>
public static class ArchSpecParser
{
    public static readonly IReadOnlyList<string> Keys =
    [
        "hidden", "layers", "residual", "skip", "input_depth", "transition_depth", "transition", "shortcut",
        "readout_depth", "gate_depth", "output_depth", "width", "act", "layer_norm", "dropout",
    ];

    public static ArchSpec Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new SpecException("empty spec; expected CELL[:key=value,...] with CELL one of " + NamedArchitectures.Help);
        text = text.Trim();
        var colon = text.IndexOf(':');
        var name = (colon < 0 ? text : text[..colon]).Trim();
        var spec = NamedArchitectures.Resolve(name)
            ?? throw new SpecException($"unknown cell or architecture '{name}'; allowed: {NamedArchitectures.Help}");
        if (colon < 0) return spec.Validate();

        var body = text[(colon + 1)..];
        if (string.IsNullOrWhiteSpace(body))
            throw new SpecException($"'{text}': nothing after ':'; expected key=value pairs separated by ','");
        var seen = new HashSet<string>();
        foreach (var rawPair in body.Split(','))
        {
            var pair = rawPair.Trim();
            var eq = pair.IndexOf('=');
            if (eq <= 0)
                throw new SpecException($"'{pair}' is not key=value; allowed keys: {string.Join(", ", Keys)}");
            var key = pair[..eq].Trim().ToLowerInvariant();
            var value = pair[(eq + 1)..].Trim();
            if (!Keys.Contains(key))
                throw new SpecException($"unknown key '{key}'; allowed keys: {string.Join(", ", Keys)}");
            if (!seen.Add(key))
                throw new SpecException($"key '{key}' is given twice");
            if (value.Length == 0)
                throw new SpecException($"key '{key}' has no value");
            spec = Apply(spec, key, value);
        }
        return spec.Validate();
    }

    public static bool TryParse(string? text, out ArchSpec? spec, out string? error)
    {
        try
        {
            spec = Parse(text);
            error = null;
            return true;
        }
        catch (SpecException e)
        {
            spec = null;
            error = e.Message;
            return false;
        }
    }

    private static ArchSpec Apply(ArchSpec spec, string key, string value) => key switch
    {
        "hidden" => spec with { Hidden = Int(key, value, 1, ArchSpec.MaxSize) },
        "layers" => spec with { Layers = Int(key, value, 1, ArchSpec.MaxLayers) },
        "residual" => spec with { Residual = Bool(key, value) },
        "skip" => spec with { Skip = Bool(key, value) },
        "input_depth" => spec with { InputDepth = Int(key, value, 0, ArchSpec.MaxDepth) },
        "transition_depth" => spec with { TransitionDepth = Int(key, value, 1, ArchSpec.MaxDepth) },
        "transition" => spec with { Transition = Choice(key, value, new Dictionary<string, TransitionKind> { ["mlp"] = TransitionKind.Mlp, ["micro"] = TransitionKind.Micro, ["highway"] = TransitionKind.Highway }) },
        "shortcut" => spec with { Shortcut = Bool(key, value) },
        "readout_depth" => spec with { ReadoutDepth = Int(key, value, 0, ArchSpec.MaxDepth) },
        "gate_depth" => spec with { GateDepth = Int(key, value, 1, ArchSpec.MaxDepth) },
        "output_depth" => spec with { OutputDepth = Int(key, value, 0, ArchSpec.MaxDepth) },
        "width" => spec with { Width = Int(key, value, 1, ArchSpec.MaxSize) },
        "act" => spec with { Act = Choice(key, value, new Dictionary<string, Activation> { ["tanh"] = Activation.Tanh, ["relu"] = Activation.Relu, ["gelu"] = Activation.Gelu }) },
        "layer_norm" => spec with { LayerNorm = Bool(key, value) },
        "dropout" => spec with { Dropout = Probability(key, value) },
        _ => throw new SpecException($"unknown key '{key}'"),
    };

    private static int Int(string key, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var result) || result < min || result > max)
            throw new SpecException($"{key}={value} is not allowed; allowed: an integer from {min} to {max}");
        return result;
    }

    private static bool Bool(string key, string value) => value.ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => throw new SpecException($"{key}={value} is not allowed; allowed: true, false"),
    };

    private static double Probability(string key, string value)
    {
        if (!double.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var result)
            || double.IsNaN(result) || result < 0 || result >= 1)
            throw new SpecException($"{key}={value} is not allowed; allowed: a number in [0, 1)");
        return result;
    }

    private static T Choice<T>(string key, string value, Dictionary<string, T> options) =>
        options.TryGetValue(value.ToLowerInvariant(), out var result) ? result
            : throw new SpecException($"{key}={value} is not allowed; allowed: {string.Join(", ", options.Keys)}");
}
