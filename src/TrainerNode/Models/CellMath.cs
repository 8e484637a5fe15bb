using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>
/// The element-wise part of the plain cells with PyTorch's gate order (docs/reference/architectures.md, "The plain cells").
/// Every cell variant computes pre-activations its own way and finishes through these. Fused element-wise ops
/// (addcmul, lerp) keep the number of native calls and autograd nodes per step low.
/// </summary>
internal static class CellMath
{
    public static Tensor Rnn(Tensor pre) => pre.tanh();

    /// <summary>LSTM gates i, f, g, o; <paramref name="readout"/> deepens h = σ(o) ⊙ MLP(tanh(c)).</summary>
    public static (Tensor H, Tensor C) Lstm(Tensor pre, Tensor c, Func<Tensor, Tensor>? readout)
    {
        var gates = pre.chunk(4, -1);
        var cNext = (gates[1].sigmoid() * c).addcmul(gates[0].sigmoid(), gates[2].tanh(), TensorMath.One);
        var exposed = cNext.tanh();
        if (readout is not null) exposed = readout(exposed);
        return (gates[3].sigmoid() * exposed, cNext);
    }

    /// <summary>GRU: r, z = σ(rz); n = tanh(nInput + r ⊙ nHidden); h' = (1 − z) ⊙ n + z ⊙ h = lerp(n, h, z).</summary>
    public static Tensor Gru(Tensor rz, Tensor nInput, Tensor? nHidden, Tensor h)
    {
        var gates = rz.sigmoid().chunk(2, -1);
        var n = (nHidden is null ? nInput : nInput.addcmul(gates[0], nHidden, TensorMath.One)).tanh();
        return n.lerp(h, gates[1]);
    }
}
