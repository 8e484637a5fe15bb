using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Tasks;

/// <summary>
/// One truncated-BPTT window as plain arrays (tensors are made from it inside the training step's dispose scope).
/// Input is [T, B, n] floats or [T, B] token ids; Target likewise per task; Mask [T, B] marks real (not padded) steps.
/// <see cref="ResetState"/> is true when the window starts new sequences, so the recurrent state starts from zero.
/// </summary>
internal sealed record BatchData(
    long Steps, long Rows, long[] InputShape, float[]? DenseInput, long[]? TokenInput,
    long[] TargetShape, float[]? DenseTarget, long[]? TokenTarget, float[]? Mask, bool ResetState)
{
    public Tensor Input(Device device) => (DenseInput is not null ? tensor(DenseInput, InputShape) : tensor(TokenInput!, InputShape)).to(device);

    public Tensor Target(Device device) => (DenseTarget is not null ? tensor(DenseTarget, TargetShape) : tensor(TokenTarget!, TargetShape)).to(device);

    public Tensor? MaskTensor(Device device) => Mask is null ? null : tensor(Mask, [Steps, Rows]).to(device);
}
