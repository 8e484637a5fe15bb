using TorchSharp;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Models;

/// <summary>
/// Tensor addition and subtraction without TorchSharp's temporary Scalar: in 0.107 "a + b" calls add(b, alpha: 1)
/// with a Scalar that nothing references once its handle is read, so the GC may finalise it while libtorch uses it
/// (random "Unknown scalar type" aborts; ScalarLifetimeTests reproduces it). One Scalar that lives for the whole
/// process serves every call.
/// </summary>
internal static class TensorMath
{
    /// <summary>A Scalar 1 that is never collected, for alpha arguments.</summary>
    public static readonly Scalar One = 1.ToScalar();
    private static readonly Scalar MinusOne = (-1).ToScalar();

    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    public static Tensor Minus(this Tensor a, Tensor b) => a.add(b, MinusOne);
}
