using RnnSearch.Shared.Architecture;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

internal static class Activations
{
    public static Tensor Apply(Activation act, Tensor x) => act switch
    {
        Activation.Tanh => x.tanh(),
        Activation.Relu => nn.functional.relu(x),
        Activation.Gelu => nn.functional.gelu(x),
        _ => throw new ArgumentOutOfRangeException(nameof(act)),
    };
}
