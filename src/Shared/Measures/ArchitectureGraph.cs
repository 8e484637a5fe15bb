using RnnSearch.Shared.Architecture;

namespace RnnSearch.Shared.Measures;

/// <summary>
/// Builds the <see cref="RecurrentGraph"/> of a spec. Each cell update (plain RNN/GRU/LSTM step, highway
/// micro-layer), each MLP layer and the output layer is one non-linear node, as Zhang et al. treat an LSTM
/// unit like a tanh unit. Gated cells also carry their state directly (LSTM's c, GRU's z ⊙ h), which is a
/// delay-1 edge into the cell node that bypasses any MLP in front of the gates. With deep gates, GRU's reset
/// gate is applied to h_{t-1} before the candidate's MLP, so the r-gate MLP feeds the candidate MLP: the longest
/// one-step path is (k−1) + (k−1) + 1 = 2k−1, which is 1 for the plain cell as the unit convention requires.
/// </summary>
public static class ArchitectureGraph
{
    public static RecurrentGraph Build(ArchSpec spec)
    {
        var graph = new RecurrentGraph();
        var input = Chain(graph, "input_mlp", spec.InputDepth, [graph.Input], recurrent: false);

        var layerOutputs = new List<int>();
        List<int> up = input;
        for (var l = 0; l < spec.Layers; l++)
        {
            var sources = l == 0 ? input : spec.Skip ? up.Concat(input).ToList() : up;
            var h = AddLayer(graph, spec, $"layers.{l}", sources);
            layerOutputs.Add(h);
            // residual: what goes up is h^(l) + (what came up into layer l), a sum that adds no non-linearity.
            up = spec.Residual && l > 0 ? [h, .. up] : [h];
        }

        var top = Chain(graph, "output_mlp", spec.OutputDepth, spec.Skip ? layerOutputs : up, recurrent: false);
        var y = graph.AddNode("y", recurrent: false);
        foreach (var source in top) graph.AddEdge(source, y);
        graph.SetOutput(y);
        return graph;
    }

    private static List<int> Chain(RecurrentGraph graph, string name, int depth, List<int> sources, bool recurrent)
    {
        for (var i = 0; i < depth; i++)
        {
            var node = graph.AddNode($"{name}.{i}", recurrent);
            foreach (var source in sources) graph.AddEdge(source, node);
            sources = [node];
        }
        return sources;
    }

    private static int AddLayer(RecurrentGraph graph, ArchSpec spec, string name, List<int> inputs)
    {
        if (spec.IsHighway)
        {
            var steps = Enumerable.Range(0, spec.TransitionDepth).Select(j => graph.AddNode($"{name}.highway.{j}", true)).ToList();
            foreach (var source in inputs) graph.AddEdge(source, steps[0]);
            graph.AddEdge(steps[^1], steps[0], 1);
            for (var j = 1; j < steps.Count; j++) graph.AddEdge(steps[j - 1], steps[j]);
            return steps[^1];
        }

        var count = spec.HasMicroSteps ? spec.TransitionDepth : 1;
        var units = Enumerable.Range(0, count).Select(j => new Unit(graph, spec, count == 1 ? $"{name}.cell" : $"{name}.cells.{j}")).ToList();
        for (var j = 0; j < count; j++)
        {
            var previous = j == 0 ? units[^1] : units[j - 1];
            units[j].Connect(graph, spec, previous, j == 0 ? 1 : 0, j == 0 ? inputs : []);
        }
        return units[^1].H;
    }

    /// <summary>The nodes of one cell application: MLP trunk or gate MLPs in front, the cell, a readout MLP behind.</summary>
    private sealed class Unit
    {
        public readonly int C;
        public readonly int H;
        private readonly List<int> _trunk;
        private readonly List<List<int>> _gateChains;

        public Unit(RecurrentGraph graph, ArchSpec spec, string name)
        {
            _trunk = spec.HasMlpTrunk
                ? Enumerable.Range(0, spec.TransitionDepth - 1).Select(i => graph.AddNode($"{name}.trunk.{i}", true)).ToList()
                : [];
            _gateChains = spec.GateDepth > 1
                ? Enumerable.Range(0, spec.Cell.GateCount())
                    .Select(g => Enumerable.Range(0, spec.GateDepth - 1).Select(i => graph.AddNode($"{name}.gates.{g}.{i}", true)).ToList())
                    .ToList()
                : [];
            C = graph.AddNode($"{name}.{spec.Cell.Name()}", true);
            var h = C;
            for (var i = 0; i < spec.ReadoutDepth; i++)
            {
                var node = graph.AddNode($"{name}.readout.{i}", true);
                graph.AddEdge(h, node);
                h = node;
            }
            H = h;
        }

        public void Connect(RecurrentGraph graph, ArchSpec spec, Unit previous, int delay, List<int> inputs)
        {
            var readers = new List<int>();
            if (_trunk.Count > 0)
            {
                readers.Add(_trunk[0]);
                if (spec.Shortcut) readers.Add(C);
                for (var i = 1; i < _trunk.Count; i++) graph.AddEdge(_trunk[i - 1], _trunk[i]);
                graph.AddEdge(_trunk[^1], C);
            }
            else if (_gateChains.Count > 0)
            {
                foreach (var chain in _gateChains)
                {
                    readers.Add(chain[0]);
                    for (var i = 1; i < chain.Count; i++) graph.AddEdge(chain[i - 1], chain[i]);
                    graph.AddEdge(chain[^1], C);
                }
                // GRU's candidate MLP reads r ⊙ h_{t-1}: the reset gate's MLP runs before it, in series.
                if (spec.Cell == CellType.Gru) graph.AddEdge(_gateChains[0][^1], _gateChains[2][0]);
            }
            else readers.Add(C);

            foreach (var reader in readers)
            {
                foreach (var source in inputs) graph.AddEdge(source, reader);
                graph.AddEdge(previous.H, reader, delay);
            }
            if (spec.Cell.IsGated()) graph.AddEdge(previous.C, C, delay);
        }
    }
}
