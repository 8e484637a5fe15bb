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
    public static Device ParseDevice(string text) => CheckDevice(text).ToDevice();

    /// <summary>Parses a --device value and checks it against the loaded libtorch (CUDA available, enough devices).</summary>
    public static DeviceRequest CheckDevice(string text)
    {
        var request = DeviceRequest.Parse(text);
        if (!request.Cuda) return request;
        var available = cuda.is_available();
        return request.Check(text, available, available ? cuda.device_count() : 0, TorchBackend.LibTorchDirectory, TorchBackend.Flavour);
    }
}
