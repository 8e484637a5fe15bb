using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Shared.Measures;

/// <summary>
/// Forward FLOPs per time step for one sequence (docs/architecture-space.md, "Measures"). Every tensor of
/// <see cref="ModelLayout"/> is used once per step, so the layout gives the products and vector operations: a matrix
/// [out × in] is one matrix–vector product (2·in·out), a vector one element-wise add or scale (a bias, a layer norm's
/// scale or shift: its size); the embedding is a lookup (0). On top come the element-wise operations no tensor shows:
/// sums of two products, activations, layer norm's normalisation, the cells' gating, residual adds and the output
/// function. Dropout costs 0. Shared.Tests' FlopCountTests checks the total against the operations of the literal
/// equations (ReferenceModel) for the whole spec grid.
/// </summary>
public static class FlopCounter
{
    public static long PerStep(ArchSpec spec, TaskShape task) =>
        ModelLayout.Enumerate(spec, task).Sum(TensorFlops) + Elementwise(spec, task);

    private static long TensorFlops(ParameterTensor tensor) => tensor.Name == ModelLayout.EmbeddingWeight ? 0
        : tensor.Shape.Length == 2 ? 2 * tensor.Shape[0] * tensor.Shape[1]
        : tensor.Shape[0];

    private static long Elementwise(ArchSpec spec, TaskShape task)
    {
        var d = (long)spec.RequireHidden();
        var w = (long)spec.EffectiveWidth;
        var flops = spec.InputDepth * MlpLayer(spec, w);
        for (var l = 0; l < spec.Layers; l++)
            flops += Layer(spec, d, w) + (spec.Residual && l > 0 ? d : 0);
        flops += spec.OutputDepth * MlpLayer(spec, w);
        return flops + task.Output switch
        {
            OutputKind.Bernoulli => task.OutputSize,         // σ
            OutputKind.Categorical => 3L * task.OutputSize,  // softmax: exp, sum, divide
            _ => 0,                                          // identity
        };
    }

    /// <summary>An MLP layer's φ and, with layer norm, its normalisation (mean, variance, divide: 3 per element).</summary>
    private static long MlpLayer(ArchSpec spec, long size) => size + (spec.LayerNorm ? 3 * size : 0);

    private static long Layer(ArchSpec spec, long d, long w)
    {
        // RHN: W x_t joins the first micro-step's R s + b; per micro-step tanh, σ and the carry s + t ⊙ (h − s).
        if (spec.IsHighway) return 2 * d + spec.TransitionDepth * (d + d + 3 * d);
        if (spec.HasMicroSteps) return Cell(spec, readsInput: true, d, w) + (spec.TransitionDepth - 1) * Cell(spec, readsInput: false, d, w);
        return Cell(spec, readsInput: true, d, w);
    }

    /// <summary>One cell update; a micro-step after the first reads no x_t, so its x-side and h-side need no sum.</summary>
    private static long Cell(ArchSpec spec, bool readsInput, long d, long w)
    {
        long g = spec.Cell.GateCount();
        long flops;
        if (spec.HasMlpTrunk)
        {
            // The trunk's first layer sums its x and h products; with shortcut the plain path's x and h products and
            // W u are summed (two sums, one without x); without it only GRU's candidate sums head_n u and r ⊙ head_hn u.
            flops = (readsInput ? w : 0) + (spec.TransitionDepth - 1) * MlpLayer(spec, w);
            flops += spec.Shortcut ? (readsInput ? 2 : 1) * g * d : spec.Cell == CellType.Gru ? d : 0;
        }
        else if (spec.GateDepth > 1)
            flops = g * ((readsInput ? w : 0) + (spec.GateDepth - 1) * MlpLayer(spec, w));
        else flops = readsInput ? g * d : 0;

        flops += Gating(spec.Cell, d);
        for (var i = 0; i < spec.ReadoutDepth; i++)
            flops += MlpLayer(spec, i == spec.ReadoutDepth - 1 ? d : w);
        return flops;
    }

    /// <summary>The element-wise arithmetic of the cell itself, after its pre-activations.</summary>
    private static long Gating(CellType cell, long d) => cell switch
    {
        CellType.Rnn => d,          // tanh
        CellType.Gru => 7 * d,      // σ on r, z; r ⊙ (·); tanh; (1 − z) ⊙ n + z ⊙ h as n + z ⊙ (h − n) (3)
        CellType.Lstm => 9 * d,     // σ on i, f, o; tanh g; f ⊙ c + i ⊙ tanh g (3); tanh c; σ(o) ⊙ (·)
        _ => throw new ArgumentOutOfRangeException(nameof(cell)),
    };
}
