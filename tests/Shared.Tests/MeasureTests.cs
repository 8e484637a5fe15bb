using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Measures;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Shared.Tests;

public class MeasureTests
{
    private static readonly TaskShape Music = TaskShape.Dense(88, 88);

    private static ArchitectureMeasures Measure(string spec, TaskShape? shape = null) =>
        ArchitectureMeasures.Compute(ArchSpecParser.Parse(spec), shape ?? Music);

    [Fact]
    public void Plain_cells_count_like_the_builtins_two_bias_layout_plus_a_linear_head()
    {
        const int d = 128, n = 88;
        Assert.Equal(d * n + d * d + 2 * d + (d * n + n), Measure("RNN:hidden=128").Params);
        Assert.Equal(3 * (d * n + d * d + 2 * d) + (d * n + n), Measure("GRU:hidden=128").Params);
        Assert.Equal(4 * (d * n + d * d + 2 * d) + (d * n + n), Measure("LSTM:hidden=128").Params);
        Assert.Equal(4 * (d * n + d * d + 2 * d) + 4 * (d * d + d * d + 2 * d) + (d * n + n), Measure("sLSTM-2:hidden=128").Params);
        Assert.Equal(4 * (d * n + d * d + 2 * d) + 4 * (d * d + d * d + 2 * d), Measure("sLSTM-2:hidden=128").RecurrentParams);
    }

    [Fact]
    public void Deep_transition_with_shortcut_adds_the_trunk_to_the_plain_cell()
    {
        const int d = 100, w = 30, n = 88;
        var plain = d * n + d * d + 2 * d;
        var trunk = (n + d) * w + w;
        var head = d * w;
        Assert.Equal(plain + trunk + head + d * n + n, Measure("DT(S)-RNN:hidden=100,width=30").Params);
        // Without the shortcut the trunk replaces the plain projections: trunk + head with bias.
        Assert.Equal(trunk + d * w + d + d * n + n, Measure("DT-RNN:hidden=100,width=30").Params);
    }

    [Fact]
    public void Token_tasks_embed_to_the_hidden_size()
    {
        var shape = new TaskShape(50, 50, TokenInput: true, OutputKind.Categorical);
        const int d = 16;
        Assert.Equal(50 * d + 4 * (d * d + d * d + 2 * d) + d * 50 + 50, Measure("LSTM:hidden=16", shape).Params);
    }

    [Fact]
    public void Highway_network_counts_input_projection_once_and_one_recurrence_per_micro_step()
    {
        const int d = 20, n = 88, k = 3;
        Assert.Equal(2 * d * n + k * (2 * d * d + 2 * d) + d * n + n, Measure("RHN-3:hidden=20").Params);
    }

    [Theory]
    // spec, d_r, d_f, s, recurrent min, max, x->y min, max, sequential matmuls
    [InlineData("RNN:hidden=8", 1, 2, 1, 1, 1, 2, 2, 1)]
    [InlineData("LSTM:hidden=8", 1, 2, 1, 1, 1, 2, 2, 1)]
    [InlineData("sLSTM-3:hidden=8", 1, 4, 1, 1, 1, 4, 4, 3)]
    [InlineData("DI-LSTM:hidden=8", 1, 3, 1, 1, 1, 3, 3, 1)]
    [InlineData("DO-LSTM:hidden=8", 1, 3, 1, 1, 1, 3, 3, 1)]
    [InlineData("DT-RNN:hidden=8,transition_depth=3", 3, 4, 0.333333, 3, 3, 4, 4, 3)]
    [InlineData("DT(S)-RNN:hidden=8,transition_depth=3", 3, 4, 1, 1, 3, 2, 4, 3)]
    // An LSTM's memory keeps a one-step self-loop even behind an MLP trunk.
    [InlineData("DT-LSTM:hidden=8", 2, 3, 1, 1, 2, 3, 3, 2)]
    [InlineData("RHN-5:hidden=8", 5, 6, 0.2, 5, 5, 6, 6, 5)]
    [InlineData("LSTM:hidden=8,transition=micro,transition_depth=2", 2, 3, 0.5, 2, 2, 3, 3, 2)]
    [InlineData("LSTM:hidden=8,readout_depth=2", 3, 4, 1, 1, 3, 4, 4, 3)]
    [InlineData("LSTM:hidden=8,gate_depth=3", 3, 4, 1, 1, 3, 4, 4, 3)]
    // GRU's reset gate multiplies h_{t-1} before the candidate's MLP: the two gate MLPs run in series.
    [InlineData("GRU:hidden=8,gate_depth=3", 5, 6, 1, 1, 5, 4, 6, 5)]
    public void Depth_measures_follow_from_the_graph(string spec, double dr, double df, double s, int rMin, int rMax, int ioMin, int ioMax, int sequential)
    {
        var m = Measure(spec);
        Assert.Equal(dr, m.RecurrentDepth, 5);
        Assert.Equal(df, m.FeedForwardDepth, 5);
        Assert.Equal(s, m.SkipCoefficient, 5);
        Assert.Equal((rMin, rMax), (m.RecurrentPathMin, m.RecurrentPathMax));
        Assert.Equal((ioMin, ioMax), (m.InputOutputPathMin, m.InputOutputPathMax));
        Assert.Equal(sequential, m.SequentialMatmuls);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Deep_gates_give_gru_a_recurrent_depth_of_2k_minus_1_and_lstm_of_k(int k)
    {
        // LSTM: h_{t-1} → gate MLP (k−1 layers) → cell. GRU: h_{t-1} → r-gate MLP (k−1) → r ⊙ h_{t-1} → candidate MLP (k−1) → cell.
        Assert.Equal(k, Measure($"LSTM:hidden=8,gate_depth={k}").RecurrentDepth, 5);
        Assert.Equal(2 * k - 1, Measure($"GRU:hidden=8,gate_depth={k}").RecurrentDepth, 5);
        Assert.Equal(2 * k - 1, Measure($"GRU:hidden=8,gate_depth={k}").SequentialMatmuls);
        Assert.Equal(2 * k - 1, Measure($"GRU:hidden=8,gate_depth={k}").RecurrentPathMax);
    }

    [Fact]
    public void Residual_and_skip_connections_shorten_the_shortest_input_output_path_only()
    {
        var plain = Measure("sLSTM-3:hidden=8");
        var residual = Measure("sLSTM-3:hidden=8,residual=true");
        var skip = Measure("sLSTM-3:hidden=8,skip=true");
        Assert.Equal(plain.InputOutputPathMax, residual.InputOutputPathMax);
        Assert.True(residual.InputOutputPathMin < plain.InputOutputPathMin);
        Assert.Equal(2, skip.InputOutputPathMin);
        Assert.Equal(plain.RecurrentDepth, skip.RecurrentDepth);
    }

    [Fact]
    public void Flops_of_a_plain_rnn_are_two_per_weight_plus_elementwise_terms()
    {
        const long d = 128, n = 88;
        var expected = 2 * n * d + 2 * d * d + 3 * d + d /* tanh */ + 2 * d * n + n + n /* head + sigmoid */;
        Assert.Equal(expected, Measure("RNN:hidden=128").FlopsPerStep);
    }

    [Fact]
    public void Every_spec_of_the_grid_has_consistent_measures()
    {
        foreach (var spec in SpecGrid.Valid())
        {
            var m = ArchitectureMeasures.Compute(spec, Music);
            Assert.True(m.Params > m.RecurrentParams && m.RecurrentParams > 0, spec.ToString());
            Assert.True(m.RecurrentPathMin <= m.RecurrentPathMax && m.RecurrentPathMin >= 1, spec.ToString());
            Assert.True(m.RecurrentDepth >= m.RecurrentPathMax - 1e-9, spec.ToString());
            Assert.True(m.FeedForwardDepth >= m.InputOutputPathMax - 1e-9, spec.ToString());
            Assert.True(m.SequentialMatmuls >= m.RecurrentPathMax, spec.ToString());
            Assert.True(m.FlopsPerStep > 2 * m.RecurrentParams, spec.ToString());
        }
    }
}
