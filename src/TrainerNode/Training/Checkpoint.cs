using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Training;

/// <summary>A checkpoint file that is truncated, corrupt or from another trial; the trial then starts over.</summary>
public sealed class CheckpointException(string message) : Exception(message);

/// <summary>The trial's progress saved with the model and optimizer: enough to continue exactly where it stopped.</summary>
internal sealed record CheckpointState
{
    public required string Spec { get; init; }
    public required string Task { get; init; }
    public required long Seed { get; init; }
    public required int Epoch { get; init; }
    public required int BestEpoch { get; init; }
    public double? BestValid { get; init; }
    public double? BestTest { get; init; }
    public required double TrainSeconds { get; init; }
    public required ulong[] ShuffleState { get; init; }
    public required List<EpochRecord> History { get; init; }
}

/// <summary>
/// Writes and reads a trial checkpoint atomically: the file is written under a temporary name and renamed over the
/// old one, so a crash leaves either the previous or the new checkpoint. Layout: "RNNSCKPT", version, payload
/// length, payload (state JSON, torch RNG state, model tensors, optimizer tensors), SHA-256 of the payload.
/// </summary>
internal static class Checkpoint
{
    private static readonly byte[] Magic = "RNNSCKPT"u8.ToArray();
    private const int Version = 1;
    public const string FileName = "checkpoint.bin";

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public static void Save(string directory, CheckpointState state, nn.Module model, AdamW optimizer)
    {
        using var telemetry = Telemetry.TrialTelemetry.CheckpointWrite(directory);
        Directory.CreateDirectory(directory);
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(JsonSerializer.Serialize(state));
            using var rng = torch.random.get_rng_state();
            var rngBytes = rng.data<byte>().ToArray();
            writer.Write(rngBytes.Length);
            writer.Write(rngBytes);
            model.save(writer);
            optimizer.Save(writer);
        }
        var bytes = payload.ToArray();
        var path = PathIn(directory);
        // A unique temporary name: a superseded attempt still running elsewhere may write into the same folder.
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new BinaryWriter(file))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write((long)bytes.Length);
            writer.Write(bytes);
            writer.Write(SHA256.HashData(bytes));
            writer.Flush();
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a checkpoint into the model and optimizer; throws <see cref="CheckpointException"/> when it cannot be trusted.</summary>
    public static CheckpointState Load(string directory, nn.Module model, AdamW optimizer, Func<CheckpointState, string?> accept)
    {
        var path = PathIn(directory);
        byte[] bytes;
        try
        {
            using var file = File.OpenRead(path);
            using var reader = new BinaryReader(file);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) throw new CheckpointException($"{path} is not an RnnSearch checkpoint");
            var version = reader.ReadInt32();
            if (version != Version) throw new CheckpointException($"{path} has checkpoint version {version}, this build reads {Version}");
            var length = reader.ReadInt64();
            if (length < 0 || length > file.Length) throw new CheckpointException($"{path} is truncated");
            bytes = reader.ReadBytes((int)length);
            var hash = reader.ReadBytes(32);
            if (bytes.Length != length || hash.Length != 32) throw new CheckpointException($"{path} is truncated");
            if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(hash)) throw new CheckpointException($"{path} is corrupt (checksum mismatch)");
        }
        catch (EndOfStreamException)
        {
            throw new CheckpointException($"{path} is truncated");
        }

        using var payload = new MemoryStream(bytes);
        using var payloadReader = new BinaryReader(payload);
        var state = JsonSerializer.Deserialize<CheckpointState>(payloadReader.ReadString())
                    ?? throw new CheckpointException($"{path} has no trial state");
        if (accept(state) is { } reason) throw new CheckpointException($"{path} belongs to another trial: {reason}");
        var rngBytes = payloadReader.ReadBytes(payloadReader.ReadInt32());
        try
        {
            TensorState.LoadModule(payloadReader, model); // in place: Module.load would move a CUDA model and orphan the optimizer's parameters
            optimizer.Load(payloadReader);
        }
        catch (Exception e) when (e is not CheckpointException)
        {
            throw new CheckpointException($"{path} does not fit this model: {e.Message}");
        }
        using (var rng = tensor(rngBytes, dtype: ScalarType.Byte))
            torch.random.set_rng_state(rng);
        return state;
    }
}
