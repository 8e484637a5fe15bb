using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Shared.Measures;

/// <summary>
/// Forward FLOPs per time step for one sequence. Conventions: a matrix-vector product [out × in] costs 2·in·out,
/// a bias add costs out, an activation (tanh, σ, ReLU, GELU) costs 1 per element, layer norm 5 per element,
/// the gating arithmetic of a cell as listed in <see cref="CellElementwise"/>; embedding lookups and dropout cost 0.
/// </summary>
public static class FlopCounter
{
    public static long PerStep(ArchSpec spec, TaskShape task)
    {
        var d = (long)spec.RequireHidden();
        var w = (long)spec.EffectiveWidth;
        long flops = 0;
        long x = task.TokenInput ? d : task.InputSize;
        flops += Mlp(x, w, spec.InputDepth, spec.LayerNorm);
        if (spec.InputDepth > 0) x = w;

        for (var l = 0; l < spec.Layers; l++)
        {
            var input = l == 0 ? x : d + (spec.Skip ? x : 0);
            flops += Layer(spec, input, d, w);
            if (spec.Residual && l > 0) flops += d;
        }

        long top = spec.Skip ? spec.Layers * d : d;
        flops += Mlp(top, w, spec.OutputDepth, spec.LayerNorm);
        if (spec.OutputDepth > 0) top = w;
        flops += Affine(top, task.OutputSize) + task.OutputSize * (task.Output == OutputKind.Categorical ? 3L : 1L);
        return flops;
    }

    /// <summary>Element-wise work of one cell update besides its matrix products (per hidden unit × d).</summary>
    public static long CellElementwise(CellType cell, long d) => cell switch
    {
        CellType.Rnn => d,          // tanh
        CellType.Gru => 8 * d,      // σ on r,z; r ⊙ (·); add; tanh; (1 − z) ⊙ n + z ⊙ h (3)
        CellType.Lstm => 9 * d,     // σ on i,f,o; tanh g; f⊙c + i⊙g (3); tanh c; o ⊙ (·)
        _ => throw new ArgumentOutOfRangeException(nameof(cell)),
    };

    private static long Layer(ArchSpec spec, long input, long d, long w)
    {
        if (spec.IsHighway)
        {
            // x_t enters the first micro-step only: [H; T] = W x; per step R s + b, tanh, σ, 1 − t, two products, add.
            return 2 * input * 2 * d + spec.TransitionDepth * (Affine(d, 2 * d) + 2 * d + 6 * d);
        }
        if (spec.HasMicroSteps)
        {
            long total = 0;
            for (var j = 0; j < spec.TransitionDepth; j++) total += Cell(spec, j == 0 ? input : 0, d, w);
            return total;
        }
        return Cell(spec, input, d, w);
    }

    private static long Cell(ArchSpec spec, long input, long d, long w)
    {
        long g = spec.Cell.GateCount();
        long flops;
        if (spec.HasMlpTrunk)
        {
            flops = 2 * (input + d) * w + w + Norm(spec, w) + w;
            flops += Mlp(w, w, spec.TransitionDepth - 2, spec.LayerNorm);
            if (spec.Shortcut) flops += Plain(input, d, g) + 2 * w * g * d + g * d;
            else flops += Affine(w, g * d) + (spec.Cell == CellType.Gru ? Affine(w, d) : 0);
        }
        else if (spec.GateDepth > 1)
        {
            var perGate = 2 * (input + d) * w + w + Norm(spec, w) + w
                          + Mlp(w, w, spec.GateDepth - 2, spec.LayerNorm) + Affine(w, d);
            flops = g * perGate + (spec.Cell == CellType.Gru ? d : 0);
        }
        else flops = Plain(input, d, g);

        flops += CellElementwise(spec.Cell, d);
        if (spec.ReadoutDepth > 0)
        {
            long layerInput = d;
            for (var i = 0; i < spec.ReadoutDepth; i++)
            {
                var output = i == spec.ReadoutDepth - 1 ? d : w;
                flops += Affine(layerInput, output) + Norm(spec, output) + output;
                layerInput = output;
            }
        }
        return flops;
    }

    private static long Plain(long input, long d, long g) => 2 * input * g * d + 2 * d * g * d + 3 * g * d;

    private static long Affine(long input, long output) => 2 * input * output + output;

    private static long Norm(ArchSpec spec, long size) => spec.LayerNorm ? 5 * size : 0;

    private static long Mlp(long input, long w, int depth, bool layerNorm)
    {
        long flops = 0;
        for (var i = 0; i < depth; i++)
        {
            flops += Affine(input, w) + (layerNorm ? 5 * w : 0) + w;
            input = w;
        }
        return flops;
    }
}
