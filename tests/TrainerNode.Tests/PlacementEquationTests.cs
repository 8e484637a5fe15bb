using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Measures;
using RnnSearch.Shared.Tasks;
using RnnSearch.Shared.Tests;
using RnnSearch.TrainerNode.Models;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Tests;

/// <summary>
/// Every placement against its equation: a tiny model's own parameters, read by name, drive the literal equations of
/// docs/architecture-space.md (<see cref="ReferenceModel"/>, doubles, nothing shared with the model's cells), and
/// h_t, c_t and the logits must agree at every step, one step at a time and over the whole sequence.
/// </summary>
public class PlacementEquationTests
{
    private const double Tolerance = 1e-5;
    private static readonly TaskShape Dense = TaskShape.Dense(3, 2);

    [Theory]
    [InlineData("RNN:hidden=4")]
    [InlineData("GRU:hidden=4")]
    [InlineData("LSTM:hidden=4")]
    public void Baseline_cells_on_the_generic_path_follow_the_plain_cell_equations(string spec) => AssertFollowsEquations(spec);

    [Theory]
    [InlineData("RNN:hidden=3")]
    [InlineData("GRU:hidden=4,layers=2")]
    [InlineData("LSTM:hidden=5,layers=2")]
    public void Builtin_fast_path_follows_the_plain_cell_equations(string spec) => AssertFollowsEquations(spec, preferBuiltin: true);

    [Theory]
    [InlineData("LSTM:hidden=4,layers=2")]
    [InlineData("RNN:hidden=4,layers=3,residual=true")]
    [InlineData("GRU:hidden=4,layers=3,skip=true")]
    [InlineData("LSTM:hidden=3,layers=3,residual=true,skip=true,dropout=0.5")]
    public void Stack_follows_the_layer_residual_and_skip_equations(string spec) => AssertFollowsEquations(spec);

    [Theory]
    [InlineData("GRU:hidden=4,input_depth=2")]
    [InlineData("LSTM:hidden=4,input_depth=1,width=3,act=relu,layer_norm=true,dropout=0.3")]
    [InlineData("RNN:hidden=4,layers=2,skip=true,input_depth=1,width=5")]
    public void Deep_input_follows_x_prime_equals_mlp_of_x(string spec) => AssertFollowsEquations(spec);

    [Theory]
    [InlineData("RNN:hidden=4,transition_depth=3")]
    [InlineData("GRU:hidden=4,transition_depth=2")]
    [InlineData("LSTM:hidden=4,transition_depth=3,width=3,act=gelu,layer_norm=true")]
    public void Deep_transition_follows_the_trunk_equation(string spec) => AssertFollowsEquations(spec);

    [Theory]
    [InlineData("RNN:hidden=4,transition_depth=3,shortcut=true")]
    [InlineData("GRU:hidden=4,transition_depth=2,shortcut=true,width=3")]
    [InlineData("LSTM:hidden=4,transition_depth=2,shortcut=true,act=relu,layer_norm=true")]
    public void Deep_transition_with_shortcut_adds_the_trunk_to_the_plain_path(string spec) => AssertFollowsEquations(spec);

    [Theory]
    [InlineData("RNN:hidden=4,transition=micro,transition_depth=3")]
    [InlineData("GRU:hidden=4,transition=micro,transition_depth=2")]
    [InlineData("LSTM:hidden=4,transition=micro,transition_depth=3")]
    public void Micro_steps_run_k_cells_in_series_and_only_the_first_reads_x(string spec) => AssertFollowsEquations(spec);

    [Theory]
    [InlineData("RNN:hidden=4,transition=highway")]
    [InlineData("RNN:hidden=4,transition=highway,transition_depth=3")]
    [InlineData("RNN:hidden=5,layers=2,transition=highway,transition_depth=2")]
    public void Highway_follows_the_coupled_carry_gate_equation(string spec) => AssertFollowsEquations(spec);

    [Theory]
    [InlineData("LSTM:hidden=4,readout_depth=1")]
    [InlineData("LSTM:hidden=4,readout_depth=2,width=3,layer_norm=true")]
    [InlineData("LSTM:hidden=4,transition=micro,transition_depth=2,readout_depth=1,act=gelu")]
    public void Deep_readout_follows_h_equals_o_times_mlp_of_tanh_c(string spec) => AssertFollowsEquations(spec);

    [Theory]
    [InlineData("LSTM:hidden=4,gate_depth=2")]
    [InlineData("LSTM:hidden=4,gate_depth=3,width=3,layer_norm=true")]
    [InlineData("GRU:hidden=4,gate_depth=2")]
    [InlineData("GRU:hidden=4,gate_depth=3,width=5,act=relu,layer_norm=true")]
    [InlineData("GRU:hidden=4,transition=micro,transition_depth=2,gate_depth=2")]
    public void Deep_gates_give_every_gate_its_own_mlp(string spec) => AssertFollowsEquations(spec);

    [Theory]
    [InlineData("RNN:hidden=4,output_depth=2")]
    [InlineData("GRU:hidden=4,layers=2,skip=true,output_depth=1,width=3,layer_norm=true")]
    [InlineData("DOT(S)-LSTM:hidden=4")]
    public void Deep_output_follows_y_equals_g_of_w_mlp_of_h(string spec) => AssertFollowsEquations(spec);

    [Theory]
    [InlineData("LSTM:hidden=4,input_depth=1,output_depth=1")]
    [InlineData("GRU:hidden=4,layers=2,transition_depth=2,shortcut=true")]
    public void Token_input_reads_the_embedding_row(string spec) =>
        AssertFollowsEquations(spec, shape: new TaskShape(7, 7, TokenInput: true, OutputKind.Categorical));

    [Fact]
    public void Every_sixth_spec_of_the_grid_follows_the_equations()
    {
        var checkedSpecs = 0;
        foreach (var spec in SpecGrid.Valid(hidden: 4).Where((_, i) => i % 6 == 0))
        {
            AssertFollowsEquations(spec.ToString(), steps: 2);
            checkedSpecs++;
        }
        Assert.True(checkedSpecs > 250);
    }

    private static void AssertFollowsEquations(string text, TaskShape? shape = null, bool preferBuiltin = false, int steps = 4)
    {
        const int batch = 2;
        shape ??= Dense;
        manual_seed(5);
        var spec = ArchSpecParser.Parse(text);
        using var scope = NewDisposeScope();
        using var model = new RnnModel(spec, shape, preferBuiltin);
        Assert.Equal(preferBuiltin, model.UsesBuiltin);
        RandomiseParameters(model);
        model.eval();

        var parameters = ParametersByLayoutName(model);
        var reference = new ReferenceModel(spec, shape, parameters);
        var input = shape.TokenInput ? randint(shape.InputSize, [steps, batch], dtype: int64) : randn(steps, batch, shape.InputSize);
        var initial = RandomState(spec, batch);
        var referenceStates = Enumerable.Range(0, batch).Select(b => initial.Layers.Select(l => new ReferenceLayerState(Row(l.H, b), l.C is null ? null : Row(l.C, b))).ToList()).ToArray();

        var expectedLogits = new double[steps][][];
        var state = initial;
        for (var t = 0; t < steps; t++)
        {
            expectedLogits[t] = new double[batch][];
            Tensor logits;
            using (no_grad()) (logits, state) = model.Forward(input.narrow(0, t, 1), state);
            for (var b = 0; b < batch; b++)
            {
                var flopsBefore = reference.Ops.Flops;
                var step = shape.TokenInput
                    ? reference.Step((int)input[t, b].item<long>(), referenceStates[b])
                    : reference.Step(Row(input[t], b), referenceStates[b]);
                if (t == 0 && b == 0) Assert.Equal(FlopCounter.PerStep(spec, shape), reference.Ops.Flops - flopsBefore);
                referenceStates[b] = [.. step.State];
                expectedLogits[t][b] = step.Logits;
                AssertClose(step.Logits, Row(logits[0], b), $"{spec}: logits y_{t} of sequence {b}");
                for (var l = 0; l < spec.Layers; l++)
                {
                    AssertClose(step.State[l].H, Row(state.Layers[l].H, b), $"{spec}: h_{t} of layer {l}, sequence {b}");
                    if (spec.Cell == CellType.Lstm) AssertClose(step.State[l].C!, Row(state.Layers[l].C!, b), $"{spec}: c_{t} of layer {l}, sequence {b}");
                }
            }
        }
        Assert.True(reference.Read.SetEquals(parameters.Keys), $"{spec}: parameters the equations never used: {string.Join(", ", parameters.Keys.Except(reference.Read))}");

        // The whole sequence in one call, with gradients on (the training path, whose loop defers weight gradients).
        var (sequenceLogits, _) = model.Forward(input, initial);
        for (var t = 0; t < steps; t++)
        for (var b = 0; b < batch; b++)
            AssertClose(expectedLogits[t][b], Row(sequenceLogits[t], b), $"{spec}: logits y_{t} of sequence {b} over the whole sequence");
    }

    /// <summary>Every parameter drawn afresh, so that a swapped weight, a dropped bias or an identity norm cannot go unseen.</summary>
    private static void RandomiseParameters(RnnModel model)
    {
        using var _ = no_grad();
        foreach (var parameter in model.parameters()) parameter.uniform_(-0.8, 0.8);
    }

    /// <summary>The model's parameters as ModelLayout names them; the built-in module's weight_ih_l{l} are layers.{l}.cell.weight_ih.</summary>
    private static Dictionary<string, Matrix> ParametersByLayoutName(RnnModel model) =>
        model.named_parameters().ToDictionary(p => LayoutName(p.name), p => ToMatrix(p.parameter));

    private static string LayoutName(string name)
    {
        const string builtin = "builtin.rnn.";
        if (!name.StartsWith(builtin)) return name;
        var local = name[builtin.Length..];
        var split = local.LastIndexOf("_l", StringComparison.Ordinal);
        return $"layers.{local[(split + 2)..]}.cell.{local[..split]}";
    }

    private static Matrix ToMatrix(Tensor tensor)
    {
        var data = tensor.detach().to(float64).data<double>().ToArray();
        return new Matrix((int)tensor.shape[0], tensor.shape.Length > 1 ? (int)tensor.shape[1] : 1, data);
    }

    private static RecurrentState RandomState(ArchSpec spec, int batch) =>
        new(Enumerable.Range(0, spec.Layers)
            .Select(_ => new LayerState(Uniform(batch, spec.RequireHidden()), spec.Cell == CellType.Lstm ? Uniform(batch, spec.RequireHidden()) : null))
            .ToList());

    private static Tensor Uniform(long rows, long cols) => empty(rows, cols).uniform_(-0.5, 0.5);

    private static double[] Row(Tensor matrix, int row) => matrix[row].detach().to(float64).data<double>().ToArray();

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {expected.Length} values expected, {actual.Length} computed");
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst < Tolerance, $"{what}: differs by {worst:G3} (equation {string.Join(", ", expected.Select(v => v.ToString("F6")))}; model {string.Join(", ", actual.Select(v => v.ToString("F6")))})");
    }
}
