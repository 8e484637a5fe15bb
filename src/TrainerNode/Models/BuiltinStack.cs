using RnnSearch.Shared.Architecture;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>
/// The fast path for plain stacks: TorchSharp's built-in nn.RNN/GRU/LSTM (libtorch's fused kernels), with the
/// same inter-layer dropout as the generic path. Its weights follow PyTorch's names (weight_ih_l0, …).
/// </summary>
internal sealed class BuiltinStack : nn.Module
{
    private readonly nn.Module rnn;
    private readonly CellType _cell;
    private readonly int _layers;

    public BuiltinStack(CellType cell, long input, long hidden, int layers, double dropout) : base(nameof(BuiltinStack))
    {
        _cell = cell;
        _layers = layers;
        rnn = cell switch
        {
            CellType.Lstm => nn.LSTM(input, hidden, layers, dropout: layers > 1 ? dropout : 0),
            CellType.Gru => nn.GRU(input, hidden, layers, dropout: layers > 1 ? dropout : 0),
            _ => nn.RNN(input, hidden, layers, nn.NonLinearities.Tanh, dropout: layers > 1 ? dropout : 0),
        };
        RegisterComponents();
    }

    public nn.Module Module => rnn;

    public (Tensor Output, RecurrentState State) Forward(Tensor x, RecurrentState state)
    {
        var h0 = stack(state.Layers.Select(l => l.H).ToArray());
        if (rnn is TorchSharp.Modules.LSTM lstm)
        {
            var c0 = stack(state.Layers.Select(l => l.C!).ToArray());
            var (output, h, c) = lstm.forward(x, (h0, c0));
            var hs = h.unbind(0);
            var cs = c.unbind(0);
            return (output, new RecurrentState(Enumerable.Range(0, _layers).Select(l => new LayerState(hs[l], cs[l])).ToList()));
        }
        var (output2, hn) = rnn is TorchSharp.Modules.GRU gru ? gru.forward(x, h0) : ((TorchSharp.Modules.RNN)rnn).forward(x, h0);
        var hs2 = hn.unbind(0);
        return (output2, new RecurrentState(hs2.Select(h => new LayerState(h, null)).ToList()));
    }

    /// <summary>The four PyTorch tensors of layer <paramref name="layer"/>: weight_ih, weight_hh, bias_ih, bias_hh.</summary>
    public (Tensor Wih, Tensor Whh, Tensor Bih, Tensor Bhh) LayerWeights(int layer)
    {
        var named = rnn.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        return (named[$"weight_ih_l{layer}"], named[$"weight_hh_l{layer}"], named[$"bias_ih_l{layer}"], named[$"bias_hh_l{layer}"]);
    }

    public CellType Cell => _cell;
}
