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
        weight_ih = input > 0 ? Uniform(hidden, rows, input) : null;
        weight_hh = Uniform(hidden, rows, hidden);
        bias_ih = Uniform(hidden, rows);
        bias_hh = Uniform(hidden, rows);
        readout = readoutMlp;
        RegisterComponents();
    }

    public override Tensor? ProjectInput(Tensor x) => weight_ih is null ? null : nn.functional.linear(x, weight_ih, bias_ih);

    public override LayerState Step(Tensor? projected, LayerState state)
    {
        var gi = projected ?? bias_ih;
        var gh = nn.functional.linear(state.H, weight_hh, bias_hh);
        return Finish(_cell, _hidden, gi, gh, state, readout);
    }

    /// <summary>Combines an input-side and a hidden-side pre-activation the way the plain cell does.</summary>
    internal static LayerState Finish(CellType cell, long hidden, Tensor gi, Tensor gh, LayerState state, Mlp? readout)
    {
        switch (cell)
        {
            case CellType.Rnn:
                return new(CellMath.Rnn(gi.Plus(gh)), null);
            case CellType.Lstm:
                var (h, c) = CellMath.Lstm(gi.Plus(gh), state.C!, readout);
                return new(h, c);
            default:
                var rz = gi.narrow(-1, 0, 2 * hidden).Plus(gh.narrow(-1, 0, 2 * hidden));
                return new(CellMath.Gru(rz, gi.narrow(-1, 2 * hidden, hidden), gh.narrow(-1, 2 * hidden, hidden), state.H), null);
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
