using TorchSharp;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Training;

/// <summary>
/// Reads saved tensors (TorchSharp's own format, as <c>Module.save</c> and <c>Tensor.Save</c> write it) into tensors that
/// already exist, on whatever device they live. TorchSharp's <c>Tensor.Load</c> writes the bytes straight into the
/// tensor's memory, which is only valid on the CPU, and <c>Module.load</c> therefore moves a CUDA module to the CPU and back —
/// which replaces (and disposes) every Parameter object, so an optimizer holding the old ones would step dead tensors.
/// Here a non-CPU tensor is filled through a CPU staging copy instead, and the module is never moved.
/// </summary>
internal static class TensorState
{
    /// <summary>Loads every tensor of <paramref name="module"/>'s state (parameters and buffers) in place, by name.</summary>
    public static void LoadModule(BinaryReader reader, nn.Module module)
    {
        var state = module.state_dict();
        var count = ReadCount(reader);
        if (count != state.Count) throw new ArgumentException($"saved state has {count} tensors, the model {state.Count}");
        using var _ = no_grad();
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            if (!state.TryGetValue(name, out var target)) throw new ArgumentException($"the model has no tensor named '{name}'");
            LoadInto(target, reader);
        }
    }

    /// <summary>The entry count Module.save writes first: an unsigned LEB128 number (TorchSharp's codec is internal).</summary>
    private static long ReadCount(BinaryReader reader)
    {
        long result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = reader.ReadByte();
            result |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new InvalidDataException("bad entry count in saved module state");
    }

    /// <summary>Loads one saved tensor into <paramref name="target"/> (same dtype and shape), on the target's device.</summary>
    public static void LoadInto(Tensor target, BinaryReader reader)
    {
        if (target.device_type == DeviceType.CPU)
        {
            target.Load(reader);
            return;
        }
        using var _ = no_grad();
        using var staging = empty(target.shape, target.dtype, CPU);
        staging.Load(reader);
        target.copy_(staging);
    }
}
