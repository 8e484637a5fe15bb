using TorchSharp;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Training;

/// <summary>Process-wide torch settings: thread count and the device a trial runs on.</summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static int? _threads;

    /// <summary>Torch's intra-op thread count for this process (set once per node: slots share it).</summary>
    public static void SetThreads(int threads)
    {
        if (threads < 1) throw new ArgumentException($"--threads {threads}: must be >= 1");
        lock (Gate)
        {
            if (_threads == threads) return;
            set_num_threads(threads);
            _threads = threads;
        }
    }

    /// <summary>Parses cpu, cuda or cuda:N and checks that the device exists.</summary>
    public static Device ParseDevice(string text)
    {
        var value = text.Trim().ToLowerInvariant();
        if (value == "cpu") return CPU;
        if (value == "cuda" || value.StartsWith("cuda:"))
        {
            var index = 0;
            if (value.Length > 4 && (!int.TryParse(value[5..], out index) || index < 0))
                throw new ArgumentException($"--device {text}: expected cpu, cuda or cuda:N");
            if (!cuda.is_available())
                throw new ArgumentException($"--device {text}: CUDA is not available (this build's libtorch has no CUDA or no GPU is visible)");
            if (index >= cuda.device_count())
                throw new ArgumentException($"--device {text}: only {cuda.device_count()} CUDA device(s) visible");
            return new Device(DeviceType.CUDA, index);
        }
        throw new ArgumentException($"--device {text}: expected cpu, cuda or cuda:N");
    }
}
