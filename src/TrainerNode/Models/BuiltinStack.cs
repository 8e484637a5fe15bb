using RnnSearch.Shared.Architecture;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>
/// The fast path for plain stacks: TorchSharp's built-in nn.RNN/GRU/LSTM (libtorch's fused kernels), with the
/// same inter-layer dropout as the generic path. The built-in module's own inter-layer dropout draws its masks from
/// torch's process-wide generator, so a stack that drops between layers runs one single-layer module per layer with
/// the model's <see cref="SeededDropout"/> in between; other stacks run as one multi-layer module. Weights follow
/// PyTorch's names (rnn.weight_ih_l{l}, …; per layer: per_layer.{l}.weight_ih_l0, …).
/// </summary>
internal sealed class BuiltinStack : nn.Module
{
    private readonly nn.Module? rnn;
    private readonly ModuleList<nn.Module>? per_layer;
    private readonly SeededDropout? _dropout;
    private readonly CellType _cell;
    private readonly int _layers;
    private readonly long _hidden;

    public BuiltinStack(CellType cell, long input, long hidden, int layers, SeededDropout? dropout) : base(nameof(BuiltinStack))
    {
        _cell = cell;
        _layers = layers;
        _hidden = hidden;
        if (layers > 1 && dropout is { Rate: > 0 })
        {
            _dropout = dropout;
            per_layer = new ModuleList<nn.Module>();
            for (var l = 0; l < layers; l++) per_layer.Add(Create(cell, l == 0 ? input : hidden, hidden, 1));
        }
        else rnn = Create(cell, input, hidden, layers);
        RegisterComponents();
    }

    private static nn.Module Create(CellType cell, long input, long hidden, int layers) => cell switch
    {
        CellType.Lstm => nn.LSTM(input, hidden, layers),
        CellType.Gru => nn.GRU(input, hidden, layers),
        _ => nn.RNN(input, hidden, layers, nn.NonLinearities.Tanh),
    };

    /// <summary>Whether the stack runs one built-in module per layer (to drop between layers with the trial's masks).</summary>
    public bool PerLayer => per_layer is not null;

    public (Tensor Output, RecurrentState State) Forward(Tensor x, RecurrentState state)
    {
        if (rnn is not null) return Run(rnn, x, state.Layers);
        var states = new List<LayerState>();
        for (var l = 0; l < _layers; l++)
        {
            if (l > 0) x = _dropout!.Apply(x, training);
            var (output, next) = Run(per_layer![l], x, [state.Layers[l]]);
            states.AddRange(next.Layers);
            x = output;
        }
        return (x, new RecurrentState(states));
    }

    /// <summary>One built-in module over the layers it holds (call, not forward, so that hooks run).</summary>
    private static (Tensor Output, RecurrentState State) Run(nn.Module module, Tensor x, IReadOnlyList<LayerState> state)
    {
        var h0 = stack(state.Select(l => l.H).ToArray());
        if (module is LSTM lstm)
        {
            var c0 = stack(state.Select(l => l.C!).ToArray());
            var (output, h, c) = lstm.call(x, (h0, c0));
            var hs = h.unbind(0);
            var cs = c.unbind(0);
            return (output, new RecurrentState(Enumerable.Range(0, state.Count).Select(l => new LayerState(hs[l], cs[l])).ToList()));
        }
        var (output2, hn) = module is GRU gru ? gru.call(x, h0) : ((RNN)module).call(x, h0);
        return (output2, new RecurrentState(hn.unbind(0).Select(h => new LayerState(h, null)).ToList()));
    }

    /// <summary>The four PyTorch tensors of layer <paramref name="layer"/>: weight_ih, weight_hh, bias_ih, bias_hh.</summary>
    public (Tensor Wih, Tensor Whh, Tensor Bih, Tensor Bhh) LayerWeights(int layer)
    {
        var (module, index) = rnn is not null ? (rnn, layer) : (per_layer![layer], 0);
        var named = module.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        return (named[$"weight_ih_l{index}"], named[$"weight_hh_l{index}"], named[$"bias_ih_l{index}"], named[$"bias_hh_l{index}"]);
    }

    /// <summary>As <see cref="PlainCell"/>: weights U(±1/√hidden), zero biases, an LSTM's forget gate at 1 (b_ih).</summary>
    public void Initialise(Initialiser init)
    {
        for (var l = 0; l < _layers; l++)
        {
            var (wih, whh, bih, bhh) = LayerWeights(l);
            init.Uniform(wih, _hidden);
            init.Uniform(whh, _hidden);
            init.Zero(bih);
            init.Zero(bhh);
            if (_cell == CellType.Lstm) Initialiser.ForgetRows(bih, _hidden);
        }
    }

    public CellType Cell => _cell;
}
