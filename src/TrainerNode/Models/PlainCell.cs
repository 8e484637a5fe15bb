using RnnSearch.Shared.Architecture;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>
/// The plain RNN/GRU/LSTM cell in PyTorch's layout (weight_ih, weight_hh, bias_ih, bias_hh; gates i,f,g,o / r,z,n),
/// optionally with an LSTM readout MLP. A cell with input size 0 (a micro-step after the first) keeps bias_ih.
/// </summary>
internal sealed class PlainCell : StepCell
{
    private readonly Parameter? weight_ih;
    private readonly Parameter weight_hh;
    private readonly Parameter bias_ih;
    private readonly Parameter bias_hh;
    private readonly Mlp? readout;
    private readonly CellType _cell;
    private readonly long _hidden;

    public PlainCell(CellType cell, long input, long hidden, Mlp? readoutMlp = null) : base(nameof(PlainCell))
    {
        _cell = cell;
        _hidden = hidden;
        var rows = cell.GateCount() * hidden;
        weight_ih = input > 0 ? Unset(rows, input) : null;
        weight_hh = Unset(rows, hidden);
        bias_ih = Unset(rows);
        bias_hh = Unset(rows);
        readout = readoutMlp;
        RegisterComponents();
    }

    /// <summary>PyTorch's RNN weights, U(±1/√hidden); zero biases, but an LSTM's forget gate starts at 1 (b_ih; b_hh stays 0).</summary>
    public override void Initialise(Initialiser init)
    {
        if (weight_ih is not null) init.Uniform(weight_ih, _hidden);
        init.Uniform(weight_hh, _hidden);
        init.Zero(bias_ih);
        init.Zero(bias_hh);
        if (_cell == CellType.Lstm) Initialiser.ForgetRows(bias_ih, _hidden);
        readout?.Initialise(init);
    }

    /// <summary>x·W_ihᵀ for all steps; for RNN and LSTM both biases are added here once (b_hh folds into it).</summary>
    public override Tensor? ProjectInput(Tensor x) =>
        weight_ih is null ? null : nn.functional.linear(x, weight_ih, _cell == CellType.Gru ? bias_ih : bias_ih.Plus(bias_hh));

    /// <summary>What one sequence's loop uses (kept out of tensor-typed fields, which TorchSharp treats as module state).</summary>
    private sealed record Loop(LoopProduct Hh, LoopMlp? Readout, Tensor[]? NInput, Tensor? NInputConstant);

    private Loop? _loop;

    /// <summary>
    /// One loop product h·W_hhᵀ on top of the input side: RNN/LSTM pre-activation = projected + h·W_hhᵀ. GRU's
    /// product yields [r, z pre-activation | W_hn h + b_hn] (its base holds the input part and b_hh of r and z, and
    /// b_hn); the candidate's input part x·W_inᵀ + b_in stays apart for n = tanh(· + r ⊙ ·).
    /// </summary>
    public override void BeginSequence(LoopProducts products, Tensor? projected)
    {
        var readoutLoop = readout?.InLoop(products);
        if (_cell != CellType.Gru)
        {
            _loop = new(products.Add(weight_hh, projected, projected is null ? bias_ih.Plus(bias_hh) : null), readoutLoop, null, null);
            return;
        }
        var rzHidden = bias_hh.narrow(0, 0, 2 * _hidden);
        var nHidden = bias_hh.narrow(0, 2 * _hidden, _hidden);
        if (projected is null)
        {
            var hh = products.Add(weight_hh, bias: cat([bias_ih.narrow(0, 0, 2 * _hidden).Plus(rzHidden), nHidden], 0));
            _loop = new(hh, readoutLoop, null, bias_ih.narrow(0, 2 * _hidden, _hidden));
            return;
        }
        var rzBase = projected.narrow(-1, 0, 2 * _hidden).Plus(rzHidden);
        var product = products.Add(weight_hh, cat([rzBase, nHidden.expand(products.Steps, products.Batch, _hidden)], -1));
        _loop = new(product, readoutLoop, LoopProducts.PerStep(projected.narrow(-1, 2 * _hidden, _hidden)), null);
    }

    public override LayerState Step(int t, LayerState state)
    {
        var loop = _loop!;
        var pre = loop.Hh.At(t, state.H);
        switch (_cell)
        {
            case CellType.Rnn:
                return new(CellMath.Rnn(pre), null);
            case CellType.Lstm:
                var (h, c) = CellMath.Lstm(pre, state.C!, loop.Readout is null ? null : x => loop.Readout.Forward(t, x));
                return new(h, c);
            default:
                var nInput = loop.NInput?[t] ?? loop.NInputConstant!;
                return new(CellMath.Gru(pre.narrow(-1, 0, 2 * _hidden), nInput, pre.narrow(-1, 2 * _hidden, _hidden), state.H), null);
        }
    }

    /// <summary>Loads one layer of a TorchSharp built-in RNN/GRU/LSTM (same layout and gate order).</summary>
    public void LoadBuiltin(Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh)
    {
        using var _ = no_grad();
        weight_ih!.copy_(weightIh);
        weight_hh.copy_(weightHh);
        bias_ih.copy_(biasIh);
        bias_hh.copy_(biasHh);
    }
}
