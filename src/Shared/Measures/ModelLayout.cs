using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Shared.Measures;

/// <summary>
/// Every trainable tensor of the model that TrainerNode builds for a spec and task (names and shapes), derived
/// from the spec alone. The TrainerNode tests check that the built modules have exactly these tensors, which is
/// what makes parameter counts and budget matching trustworthy. Layout rules:
/// <list type="bullet">
/// <item>MLP layer i: <c>linear.weight [out, in]</c>, <c>linear.bias [out]</c>, with layer_norm <c>norm.weight/bias [out]</c>.</item>
/// <item>Plain cell: PyTorch's two-bias layout <c>weight_ih [G·d, in]</c>, <c>weight_hh [G·d, d]</c>, <c>bias_ih</c>, <c>bias_hh [G·d]</c>
/// (no weight_ih for micro-steps after the first, which do not read x_t).</item>
/// <item>MLP trunk (transition=mlp): first layer split into an input part (<c>trunk_in_weight/bias</c>) and a state part
/// (<c>trunk_state_weight</c>, no bias), further layers <c>trunk.layers.i</c>, then <c>head</c> into the gates.</item>
/// </list>
/// </summary>
public static class ModelLayout
{
    /// <summary>The token embedding: a lookup table, not a matrix product.</summary>
    public const string EmbeddingWeight = "embedding.weight";

    public static IReadOnlyList<ParameterTensor> Enumerate(ArchSpec spec, TaskShape task)
    {
        var d = spec.RequireHidden();
        var w = spec.EffectiveWidth;
        var list = new List<ParameterTensor>();
        int x;
        if (task.TokenInput)
        {
            list.Add(new(EmbeddingWeight, [task.InputSize, d], false));
            x = d;
        }
        else x = task.InputSize;

        x = AddMlp(list, "input_mlp", x, w, spec.InputDepth, spec.LayerNorm, recurrent: false);

        for (var l = 0; l < spec.Layers; l++)
        {
            var layerInput = l == 0 ? x : d + (spec.Skip ? x : 0);
            AddRecurrentLayer(list, $"layers.{l}", spec, layerInput, d, w);
        }

        var top = spec.Skip ? spec.Layers * d : d;
        top = AddMlp(list, "output_mlp", top, w, spec.OutputDepth, spec.LayerNorm, recurrent: false);
        list.Add(new("head.weight", [task.OutputSize, top], false));
        list.Add(new("head.bias", [task.OutputSize], false));
        return list;
    }

    public static long Total(ArchSpec spec, TaskShape task) => Enumerate(spec, task).Sum(p => p.Count);

    private static void AddRecurrentLayer(List<ParameterTensor> list, string prefix, ArchSpec spec, int input, int d, int w)
    {
        if (spec.IsHighway)
        {
            list.Add(new($"{prefix}.input_weight", [2 * d, input], true));
            for (var j = 0; j < spec.TransitionDepth; j++)
            {
                list.Add(new($"{prefix}.steps.{j}.weight", [2 * d, d], true));
                list.Add(new($"{prefix}.steps.{j}.bias", [2 * d], true));
            }
            return;
        }
        if (spec.HasMicroSteps)
        {
            for (var j = 0; j < spec.TransitionDepth; j++)
                AddCell(list, $"{prefix}.cells.{j}", spec, j == 0 ? input : 0, d, w);
            return;
        }
        AddCell(list, $"{prefix}.cell", spec, input, d, w);
    }

    private static void AddCell(List<ParameterTensor> list, string prefix, ArchSpec spec, int input, int d, int w)
    {
        var g = spec.Cell.GateCount();
        if (spec.HasMlpTrunk)
        {
            if (input > 0) list.Add(new($"{prefix}.trunk_in_weight", [w, input], true));
            list.Add(new($"{prefix}.trunk_in_bias", [w], true));
            list.Add(new($"{prefix}.trunk_state_weight", [w, d], true));
            if (spec.LayerNorm) AddNorm(list, $"{prefix}.trunk_norm", w);
            AddMlp(list, $"{prefix}.trunk", w, w, spec.TransitionDepth - 2, spec.LayerNorm, recurrent: true);
            if (spec.Shortcut)
            {
                AddPlainWeights(list, prefix, input, d, g);
                list.Add(new($"{prefix}.head.weight", [g * d, w], true));
            }
            else
            {
                list.Add(new($"{prefix}.head.weight", [g * d, w], true));
                list.Add(new($"{prefix}.head.bias", [g * d], true));
                if (spec.Cell == CellType.Gru)
                {
                    list.Add(new($"{prefix}.head_hn.weight", [d, w], true));
                    list.Add(new($"{prefix}.head_hn.bias", [d], true));
                }
            }
        }
        else if (spec.GateDepth > 1)
        {
            if (input > 0) list.Add(new($"{prefix}.gate_in_weight", [g * w, input], true));
            list.Add(new($"{prefix}.gate_in_bias", [g * w], true));
            list.Add(new($"{prefix}.gate_state_weight", [g * w, d], true));
            for (var k = 0; k < g; k++)
            {
                var gate = $"{prefix}.gates.{k}";
                if (spec.LayerNorm) AddNorm(list, $"{gate}.first_norm", w);
                AddMlp(list, $"{gate}.hidden", w, w, spec.GateDepth - 2, spec.LayerNorm, recurrent: true);
                list.Add(new($"{gate}.out.weight", [d, w], true));
                list.Add(new($"{gate}.out.bias", [d], true));
            }
        }
        else
        {
            AddPlainWeights(list, prefix, input, d, g);
        }

        if (spec.ReadoutDepth > 0)
            AddReadout(list, $"{prefix}.readout", d, w, spec.ReadoutDepth, spec.LayerNorm);
    }

    private static void AddPlainWeights(List<ParameterTensor> list, string prefix, int input, int d, int g)
    {
        if (input > 0) list.Add(new($"{prefix}.weight_ih", [g * d, input], true));
        list.Add(new($"{prefix}.weight_hh", [g * d, d], true));
        list.Add(new($"{prefix}.bias_ih", [g * d], true));
        list.Add(new($"{prefix}.bias_hh", [g * d], true));
    }

    /// <summary>Readout MLP of LSTM: k layers from d back to d (hidden layers of width w).</summary>
    private static void AddReadout(List<ParameterTensor> list, string prefix, int d, int w, int depth, bool norm)
    {
        var input = d;
        for (var i = 0; i < depth; i++)
        {
            var output = i == depth - 1 ? d : w;
            AddLayer(list, $"{prefix}.layers.{i}", input, output, norm, recurrent: true);
            input = output;
        }
    }

    /// <summary>An MLP of <paramref name="depth"/> layers of width w; returns its output size.</summary>
    internal static int AddMlp(List<ParameterTensor> list, string prefix, int input, int w, int depth, bool norm, bool recurrent)
    {
        for (var i = 0; i < depth; i++)
        {
            AddLayer(list, $"{prefix}.layers.{i}", input, w, norm, recurrent);
            input = w;
        }
        return input;
    }

    private static void AddLayer(List<ParameterTensor> list, string prefix, int input, int output, bool norm, bool recurrent)
    {
        list.Add(new($"{prefix}.linear.weight", [output, input], recurrent));
        list.Add(new($"{prefix}.linear.bias", [output], recurrent));
        if (norm) AddNorm(list, $"{prefix}.norm", output, recurrent);
    }

    private static void AddNorm(List<ParameterTensor> list, string prefix, int size, bool recurrent = true)
    {
        list.Add(new($"{prefix}.weight", [size], recurrent));
        list.Add(new($"{prefix}.bias", [size], recurrent));
    }
}
