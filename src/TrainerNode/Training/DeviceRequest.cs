using TorchSharp;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Training;

/// <summary>A --device value: cpu, cuda (= cuda:0) or cuda:N, parsed first and checked against what libtorch sees second.</summary>
public sealed record DeviceRequest(bool Cuda, int Index)
{
    /// <summary>The canonical name recorded with results: "cpu" or "cuda:N".</summary>
    public string Name => Cuda ? $"cuda:{Index}" : "cpu";

    public Device ToDevice() => Cuda ? new Device(DeviceType.CUDA, Index) : CPU;

    /// <summary>Syntax only: cpu, cuda, cuda:N (any case, surrounding spaces ignored).</summary>
    public static DeviceRequest Parse(string text)
    {
        var value = text.Trim().ToLowerInvariant();
        if (value == "cpu") return new DeviceRequest(false, 0);
        if (value == "cuda") return new DeviceRequest(true, 0);
        if (value.StartsWith("cuda:", StringComparison.Ordinal) && value.Length > 5 && value[5..].All(char.IsAsciiDigit) && int.TryParse(value[5..], out var index))
            return new DeviceRequest(true, index);
        throw new ArgumentException($"--device {text}: expected cpu, cuda or cuda:N");
    }

    /// <summary>Throws a one-line error when a CUDA device is asked for but libtorch has no CUDA or not that many devices.</summary>
    public DeviceRequest Check(string text, bool cudaAvailable, int cudaDevices, string? libtorchDirectory, string flavour)
    {
        if (!Cuda) return this;
        if (!cudaAvailable)
        {
            var why = flavour == "external"
                ? $"the libtorch loaded from {libtorchDirectory ?? "LD_LIBRARY_PATH"} has no CUDA, or no GPU/driver is visible (check nvidia-smi and CUDA_VISIBLE_DEVICES)"
                : $"this trainer was built with TorchBackend={flavour} (TorchSharp's CPU libtorch); build -p:TorchBackend=external and start it with --libtorch pointing at a CUDA libtorch (docs/gpu.md)";
            throw new ArgumentException($"--device {text}: CUDA is not available: {why}");
        }
        if (Index >= cudaDevices)
            throw new ArgumentException($"--device {text}: only {cudaDevices} CUDA device(s) visible ({(cudaDevices == 1 ? "cuda:0" : $"cuda:0 to cuda:{cudaDevices - 1}")})");
        return this;
    }
}
