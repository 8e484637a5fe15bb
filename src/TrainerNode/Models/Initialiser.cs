using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>
/// The one initialisation of every family (docs/architecture-space.md, "Initialisation"), drawn from one generator:
/// a trial's weights then depend on its seed alone, whatever the other threads of the process draw from torch.
/// Weight matrices ~ U(−1/√fan, 1/√fan) (PyTorch's defaults, fan as each module states); embeddings ~ N(0, 1);
/// layer norm γ = 1, β = 0; every bias 0 except LSTM forget gates (1: Gers et al. 2000, Jozefowicz et al. 2015 —
/// it closes most of the LSTM–GRU gap) and RHN transform gates (−2: Zilly et al.). Each module initialises its own
/// tensors and asks its children; <see cref="Check"/> then proves that no parameter was left as constructed.
/// </summary>
internal sealed class Initialiser(Generator? generator)
{
    private readonly HashSet<(IntPtr, long)> _done = [];

    public void Uniform(Tensor weight, long fan)
    {
        var bound = 1.0 / Math.Sqrt(Math.Max(1, fan));
        Done(weight).uniform_(-bound, bound, generator);
    }

    public void Normal(Tensor weight) => Done(weight).normal_(0, 1, generator);

    public void Zero(Tensor? bias)
    {
        if (bias is not null) Done(bias).zero_();
    }

    public void Constant(Tensor tensor, double value) => Fill(Done(tensor), value);

    /// <summary>Sets the forget rows (PyTorch's gate order i, f, g, o) of an LSTM bias of 4·<paramref name="hidden"/> rows to 1.</summary>
    public static void ForgetRows(Tensor gateBias, long hidden)
    {
        using var rows = gateBias.narrow(0, hidden, hidden);
        ForgetGate(rows);
    }

    /// <summary>Sets a bias that belongs to an LSTM forget gate alone to 1.</summary>
    public static void ForgetGate(Tensor forgetBias) => Fill(forgetBias, 1);

    /// <summary>Overwrites part of a tensor already initialised here (a gate's rows of a bias).</summary>
    public static void Fill(Tensor part, double value)
    {
        using var scalar = value.ToScalar();
        part.fill_(scalar);
    }

    /// <summary>An affine map: U(±1/√in) weights, zero bias.</summary>
    public void Linear(Linear linear)
    {
        Uniform(linear.weight!, linear.weight!.shape[1]);
        Zero(linear.bias);
    }

    public void LayerNorm(LayerNorm? norm)
    {
        if (norm is null) return;
        Constant(norm.weight!, 1);
        Zero(norm.bias);
    }

    /// <summary>Throws unless every parameter of <paramref name="model"/> was initialised here.</summary>
    public void Check(nn.Module model)
    {
        var missed = model.named_parameters().Where(p => !_done.Contains(Key(p.parameter))).Select(p => p.name).ToList();
        if (missed.Count > 0) throw new InvalidOperationException($"no initialisation for {string.Join(", ", missed)}");
    }

    private Tensor Done(Tensor tensor)
    {
        _done.Add(Key(tensor));
        return tensor;
    }

    /// <summary>Where the values live: a native module (Embedding) hands out a new handle for each access.</summary>
    private static (IntPtr, long) Key(Tensor tensor) => (tensor.storage<float>().data_ptr(), tensor.storage_offset());
}
