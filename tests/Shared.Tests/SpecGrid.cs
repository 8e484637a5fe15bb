using RnnSearch.Shared.Architecture;

namespace RnnSearch.Shared.Tests;

/// <summary>A wide grid over every key and cell, keeping the combinations that validate.</summary>
public static class SpecGrid
{
    public static IEnumerable<ArchSpec> Valid(int hidden = 12)
    {
        foreach (var cell in Enum.GetValues<CellType>())
        foreach (var layers in new[] { 1, 2, 3 })
        foreach (var (residual, skip) in new[] { (false, false), (true, false), (false, true), (true, true) })
        foreach (var inputDepth in new[] { 0, 2 })
        foreach (var (transition, depth, shortcut) in new[] { (TransitionKind.Mlp, 1, false), (TransitionKind.Mlp, 3, false), (TransitionKind.Mlp, 2, true), (TransitionKind.Micro, 2, false), (TransitionKind.Highway, 1, false), (TransitionKind.Highway, 3, false) })
        foreach (var readout in new[] { 0, 2 })
        foreach (var gate in new[] { 1, 3 })
        foreach (var output in new[] { 0, 1 })
        foreach (var (width, norm) in new[] { ((int?)null, false), (7, true) })
        {
            var spec = new ArchSpec
            {
                Cell = cell, Hidden = hidden, Layers = layers, Residual = residual, Skip = skip, InputDepth = inputDepth,
                Transition = transition, TransitionDepth = depth, Shortcut = shortcut, ReadoutDepth = readout,
                GateDepth = gate, OutputDepth = output, Width = width, LayerNorm = norm, Act = norm ? Activation.Relu : Activation.Tanh,
                Dropout = norm ? 0.1 : 0,
            };
            ArchSpec? valid;
            try { valid = spec.Validate(); }
            catch (SpecException) { valid = null; }
            if (valid is not null) yield return valid;
        }
    }
}
