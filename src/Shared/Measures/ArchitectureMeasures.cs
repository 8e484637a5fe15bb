using System.Text.Json.Serialization;
using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Shared.Measures;

/// <summary>Everything RnnSearch reports about a spec for a task shape, computed without torch.</summary>
public sealed record ArchitectureMeasures
{
    [JsonPropertyName("spec")] public required string Spec { get; init; }
    [JsonPropertyName("family")] public required string Family { get; init; }
    [JsonPropertyName("hidden")] public required int Hidden { get; init; }
    [JsonPropertyName("width")] public required int Width { get; init; }
    [JsonPropertyName("params")] public required long Params { get; init; }
    [JsonPropertyName("recurrent_params")] public required long RecurrentParams { get; init; }
    [JsonPropertyName("flops_per_step")] public required long FlopsPerStep { get; init; }
    /// <summary>Zhang et al.'s recurrent depth: max over cycles of nodes/delay.</summary>
    [JsonPropertyName("d_r")] public required double RecurrentDepth { get; init; }
    /// <summary>Zhang et al.'s feed-forward depth: sup over n of (longest x_t → y_{t+n} path) − n·d_r.</summary>
    [JsonPropertyName("d_f")] public required double FeedForwardDepth { get; init; }
    /// <summary>Zhang et al.'s recurrent skip coefficient: max over cycles of delay/nodes.</summary>
    [JsonPropertyName("skip_coefficient")] public required double SkipCoefficient { get; init; }
    /// <summary>Fewest non-linearities on a path from a state at t−1 back to the same state at t.</summary>
    [JsonPropertyName("recurrent_path_min")] public required int RecurrentPathMin { get; init; }
    [JsonPropertyName("recurrent_path_max")] public required int RecurrentPathMax { get; init; }
    [JsonPropertyName("input_output_path_min")] public required int InputOutputPathMin { get; init; }
    [JsonPropertyName("input_output_path_max")] public required int InputOutputPathMax { get; init; }
    /// <summary>Dependent matrix products one time step of the whole stack costs (a bound on any kernel's speed).</summary>
    [JsonPropertyName("sequential_matmuls")] public required int SequentialMatmuls { get; init; }

    public static ArchitectureMeasures Compute(ArchSpec spec, TaskShape task)
    {
        var layout = ModelLayout.Enumerate(spec, task);
        var graph = ArchitectureGraph.Build(spec);
        var cycles = graph.Cycles();
        var ratios = cycles.Select(c => (double)c.Length / c.Delay).ToList();
        var recurrentDepth = ratios.Max();
        var oneStep = cycles.Where(c => c.Delay == 1).Select(c => c.Length).ToList();

        // d_f: the excess of the longest input→output path over n·d_r; it settles once n exceeds the graph size.
        var feedForward = double.MinValue;
        for (var n = 0; n <= 2 * graph.NodeCount + 2; n++)
        {
            if (graph.PathLength(graph.Input, graph.Output, n, longest: true) is { } length)
                feedForward = Math.Max(feedForward, length - n * recurrentDepth);
        }

        return new ArchitectureMeasures
        {
            Spec = spec.ToString(),
            Family = spec.Family.Name(),
            Hidden = spec.RequireHidden(),
            Width = spec.EffectiveWidth,
            Params = layout.Sum(p => p.Count),
            RecurrentParams = layout.Where(p => p.Recurrent).Sum(p => p.Count),
            FlopsPerStep = FlopCounter.PerStep(spec, task),
            RecurrentDepth = Math.Round(recurrentDepth, 6),
            FeedForwardDepth = Math.Round(feedForward, 6),
            SkipCoefficient = Math.Round(1.0 / ratios.Min(), 6),
            RecurrentPathMin = oneStep.Min(),
            RecurrentPathMax = oneStep.Max(),
            InputOutputPathMin = graph.PathLength(graph.Input, graph.Output, 0, longest: false) ?? 0,
            InputOutputPathMax = graph.PathLength(graph.Input, graph.Output, 0, longest: true) ?? 0,
            SequentialMatmuls = graph.LongestRecurrentChainPerStep(),
        };
    }
}
