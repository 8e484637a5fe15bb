namespace RnnSearch.Shared.Measures;

/// <summary>
/// The cyclic graph of Zhang et al. 2016 ("Architectural Complexity Measures of RNNs"): nodes are non-linear
/// transformations (plus the input source), edges carry a time delay (0 = same step, 1 = from the previous step).
/// Path length counts the non-linear nodes entered. The measures below are computed from this graph alone.
/// </summary>
public sealed class RecurrentGraph
{
    private readonly List<string> _names = [];
    private readonly List<bool> _recurrent = [];
    private readonly HashSet<(int From, int To, int Delay)> _edges = [];

    public int Input { get; }
    public int Output { get; private set; } = -1;

    public RecurrentGraph() => Input = AddNode("x", recurrent: false);

    public int NodeCount => _names.Count;
    public IEnumerable<(int From, int To, int Delay)> Edges => _edges;
    public string NameOf(int node) => _names[node];

    /// <summary>Adds a non-linear node; <paramref name="recurrent"/> marks nodes inside the recurrent layers.</summary>
    public int AddNode(string name, bool recurrent)
    {
        _names.Add(name);
        _recurrent.Add(recurrent);
        return _names.Count - 1;
    }

    public void AddEdge(int from, int to, int delay = 0)
    {
        if (delay is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(delay), "delays of 0 or 1 step are supported");
        _edges.Add((from, to, delay));
    }

    public void SetOutput(int node) => Output = node;

    /// <summary>All simple directed cycles as (length in nodes, total delay).</summary>
    public IReadOnlyList<(int Length, int Delay)> Cycles()
    {
        var adjacency = Adjacency();
        var cycles = new List<(int, int)>();
        var onPath = new bool[NodeCount];
        for (var start = 0; start < NodeCount; start++)
        {
            // Only cycles whose smallest node is 'start', so each cycle is found once.
            void Walk(int node, int length, int delay)
            {
                foreach (var (next, edgeDelay) in adjacency[node])
                {
                    if (next == start) { cycles.Add((length + 1, delay + edgeDelay)); continue; }
                    if (next < start || onPath[next]) continue;
                    onPath[next] = true;
                    Walk(next, length + 1, delay + edgeDelay);
                    onPath[next] = false;
                    if (cycles.Count > 1_000_000) throw new InvalidOperationException("graph has too many cycles to enumerate");
                }
            }
            onPath[start] = true;
            Walk(start, 0, 0);
            onPath[start] = false;
        }
        foreach (var (length, delay) in cycles)
            if (delay == 0) throw new InvalidOperationException($"a cycle of {length} nodes has no time delay: the graph is not a recurrent network");
        return cycles;
    }

    /// <summary>
    /// Longest (or shortest) path from <paramref name="source"/> at step 0 to <paramref name="target"/> at step
    /// <paramref name="steps"/> in the unfolded graph, or null when there is none. Counts nodes entered.
    /// </summary>
    public int? PathLength(int source, int target, int steps, bool longest)
    {
        var order = TopologicalOrderOfSameStepEdges();
        var adjacency = Adjacency();
        var none = longest ? int.MinValue : int.MaxValue;
        var current = Enumerable.Repeat(none, NodeCount).ToArray();
        current[source] = 0;
        int Better(int a, int b) => longest ? Math.Max(a, b) : Math.Min(a, b);
        for (var t = 0; ; t++)
        {
            // Relax delay-0 edges within step t in topological order.
            foreach (var node in order)
            {
                if (current[node] == none) continue;
                foreach (var (next, delay) in adjacency[node])
                    if (delay == 0) current[next] = Better(current[next], current[node] + 1);
            }
            if (t == steps) break;
            var nextStep = Enumerable.Repeat(none, NodeCount).ToArray();
            for (var node = 0; node < NodeCount; node++)
            {
                if (current[node] == none) continue;
                foreach (var (next, delay) in adjacency[node])
                    if (delay == 1) nextStep[next] = Better(nextStep[next], current[node] + 1);
            }
            current = nextStep;
        }
        return current[target] == none ? null : current[target];
    }

    /// <summary>
    /// The longest chain of recurrent nodes that one time step must compute one after the other: it starts at a
    /// node fed from the previous step and follows same-step edges between recurrent nodes.
    /// </summary>
    public int LongestRecurrentChainPerStep()
    {
        var order = TopologicalOrderOfSameStepEdges();
        var adjacency = Adjacency();
        var chain = new int[NodeCount];
        for (var node = 0; node < NodeCount; node++)
            chain[node] = _recurrent[node] && _edges.Any(e => e.To == node && e.Delay == 1) ? 1 : 0;
        foreach (var node in order)
        {
            if (chain[node] == 0) continue;
            foreach (var (next, delay) in adjacency[node])
                if (delay == 0 && _recurrent[next]) chain[next] = Math.Max(chain[next], chain[node] + 1);
        }
        return chain.Max();
    }

    private List<(int Next, int Delay)>[] Adjacency()
    {
        var adjacency = Enumerable.Range(0, NodeCount).Select(_ => new List<(int, int)>()).ToArray();
        foreach (var (from, to, delay) in _edges) adjacency[from].Add((to, delay));
        return adjacency;
    }

    private List<int> TopologicalOrderOfSameStepEdges()
    {
        var indegree = new int[NodeCount];
        foreach (var (_, to, delay) in _edges) if (delay == 0) indegree[to]++;
        var ready = new Queue<int>(Enumerable.Range(0, NodeCount).Where(n => indegree[n] == 0));
        var order = new List<int>();
        var adjacency = Adjacency();
        while (ready.Count > 0)
        {
            var node = ready.Dequeue();
            order.Add(node);
            foreach (var (next, delay) in adjacency[node])
                if (delay == 0 && --indegree[next] == 0) ready.Enqueue(next);
        }
        if (order.Count != NodeCount) throw new InvalidOperationException("same-step edges form a cycle: the graph is not a recurrent network");
        return order;
    }
}
