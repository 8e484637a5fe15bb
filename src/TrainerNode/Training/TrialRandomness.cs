using RnnSearch.Shared.Common;
using RnnSearch.TrainerNode.Models;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Training;

/// <summary>
/// A trial's own random numbers, so that its seed alone fixes the run even while other slots of the node train in
/// the same process (threads that share torch's global generator, which a trial therefore never uses): weights from
/// a CPU generator seeded with the trial seed while the model is built (on the CPU, before it moves), dropout masks
/// from <see cref="DropoutMasks"/>, restarted at every epoch from (seed, epoch), so that a trial resumed from a
/// checkpoint draws exactly the masks of an uninterrupted one. Data order has its own checkpointed <see cref="SeededRandom"/>.
/// </summary>
internal sealed class TrialRandomness(long seed) : IDisposable
{
    public DropoutMasks Dropout { get; } = new(DropoutMasks.Mix(seed, -1));

    /// <summary>A fresh generator in the initial state for this seed (the caller disposes it once the model is built).</summary>
    public Generator Initialisation() => new((ulong)seed, CPU);

    public void BeginEpoch(int epoch) => Dropout.BeginEpoch(epoch);

    public void Dispose() => Dropout.Dispose();
}
