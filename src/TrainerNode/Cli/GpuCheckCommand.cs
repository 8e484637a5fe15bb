using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using RnnSearch.TrainerNode.Training;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Cli;

/// <summary>
/// <c>gpu-check</c>: which libtorch this trainer loaded, whether CUDA and cuDNN are there, and the generic layers'
/// training-step time as a multiple of the built-in LSTM's (cuDNN on a GPU), batch × steps × inputs of a music task.
/// </summary>
internal static class GpuCheckCommand
{
    public static readonly string[] DefaultDeepSpecs = ["LSTM:transition_depth=2,shortcut=true", "LSTM:gate_depth=2"];

    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "auto (cuda:0 when CUDA is available, else cpu), cpu, cuda or cuda:N", DefaultValueFactory = _ => "auto" };
        var hidden = new Option<int[]>("--hidden") { Description = "hidden sizes to time", DefaultValueFactory = _ => [128, 512], AllowMultipleArgumentsPerToken = true };
        var batch = new Option<int>("--batch") { Description = "sequences per batch", DefaultValueFactory = _ => 32 };
        var steps = new Option<int>("--steps") { Description = "time steps per sequence", DefaultValueFactory = _ => 100 };
        var inputs = new Option<int>("--inputs") { Description = "input and output size (88 = piano keys)", DefaultValueFactory = _ => 88 };
        var warmup = new Option<int>("--warmup") { Description = "untimed steps first", DefaultValueFactory = _ => 3 };
        var timed = new Option<int>("--timed") { Description = "timed steps per configuration", DefaultValueFactory = _ => 10 };
        var specs = new Option<string[]>("--spec") { Description = $"deep specs to time on the generic layers, without hidden (default: {string.Join(" ", DefaultDeepSpecs)})", AllowMultipleArgumentsPerToken = true };
        var threads = new Option<int>("--threads") { Description = "torch intra-op threads", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount) };
        var json = new Option<bool>("--json") { Description = "print the result as JSON" };
        var libtorch = LibTorchOption.Create();
        var command = new Command("gpu-check", "Show the loaded libtorch, CUDA and cuDNN, and time the generic layers against the built-in LSTM")
        {
            device, hidden, batch, steps, inputs, warmup, timed, specs, threads, json, libtorch,
        };
        command.SetAction(result =>
        {
            TorchBackend.Initialize(result.GetValue(libtorch));
            TorchRuntime.SetThreads(result.GetValue(threads));
            foreach (var (name, value, min) in new[] { ("--batch", result.GetValue(batch), 1), ("--steps", result.GetValue(steps), 1), ("--inputs", result.GetValue(inputs), 1), ("--warmup", result.GetValue(warmup), 0), ("--timed", result.GetValue(timed), 1) })
                if (value < min) throw new ArgumentException($"{name} {value}: must be >= {min}");
            var hiddens = result.GetValue(hidden) ?? [];
            if (hiddens.Length == 0 || hiddens.Any(h => h < 1)) throw new ArgumentException("--hidden: give one or more sizes >= 1");

            var cudaAvailable = cuda.is_available();
            var deviceText = result.GetValue(device)!;
            var chosen = deviceText.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase) ? (cudaAvailable ? "cuda:0" : "cpu") : deviceText;
            var request = TorchRuntime.CheckDevice(chosen);
            var info = new GpuCheckInfo
            {
                Backend = TorchBackend.Flavour, LibTorch = TorchBackend.LibTorchDirectory,
                PyTorchVersion = TorchBackend.LibTorchDirectory is { } dir ? LibTorchFolder.PyTorchVersion(dir) : null,
                TorchSharpLibTorch = __version__, CudaAvailable = cudaAvailable, CudaDevices = cudaAvailable ? cuda.device_count() : 0,
                CudnnAvailable = cudaAvailable && cuda.is_cudnn_available(), Device = request.Name, Threads = result.GetValue(threads),
                Batch = result.GetValue(batch), Steps = result.GetValue(steps), Inputs = result.GetValue(inputs), Warmup = result.GetValue(warmup), Timed = result.GetValue(timed),
            };
            var asJson = result.GetValue(json);
            if (!asJson) PrintHeader(info);
            var setup = new KernelTiming.Setup(request.ToDevice(), info.Batch, info.Steps, info.Inputs, info.Warmup, info.Timed);
            var deepSpecs = result.GetValue(specs) is { Length: > 0 } given ? given : DefaultDeepSpecs;
            var rows = KernelTiming.Table(hiddens, deepSpecs, setup, asJson ? null : PrintRow);
            if (asJson) Console.WriteLine(JsonSerializer.Serialize(info with { Rows = rows }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
            return 0;
        });
        return command;
    }

    private static void PrintHeader(GpuCheckInfo i)
    {
        Console.WriteLine($"backend      {i.Backend}{(i.LibTorch is null ? "" : $", libtorch from {i.LibTorch}")}{(i.PyTorchVersion is null ? "" : $" (PyTorch {i.PyTorchVersion})")}");
        Console.WriteLine($"TorchSharp   built for libtorch {i.TorchSharpLibTorch}");
        Console.WriteLine($"CUDA         {(i.CudaAvailable ? $"available, {i.CudaDevices} device(s), cuDNN {(i.CudnnAvailable ? "available" : "not available")}" : "not available")}");
        Console.WriteLine($"device       {i.Device}, {i.Threads} torch thread(s)");
        Console.WriteLine($"timing       forward + backward + clipping + AdamW per step, batch {i.Batch} × {i.Steps} steps × {i.Inputs} inputs, {i.Timed} timed steps after {i.Warmup} warm-up");
        Console.WriteLine();
        Console.WriteLine($"{"hidden",6}  {"spec",-52} {"path",-9} {"params",10} {"ms/step",10} {"× built-in",10} {"est. MiB/trial",14}");
    }

    private static void PrintRow(KernelTimingRow r)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"{r.Hidden,6}  {r.Spec,-52} {r.Path,-9} {r.Params.ToString("N0", c),10} {r.MsPerStep.ToString("F2", c),10} {r.RatioToBuiltin.ToString("F2", c),10} {(r.EstimatedTrialBytes / 1048576.0).ToString("F0", c),14}");
    }

    private sealed record GpuCheckInfo
    {
        public required string Backend { get; init; }
        public string? LibTorch { get; init; }
        public string? PyTorchVersion { get; init; }
        public required string TorchSharpLibTorch { get; init; }
        public bool CudaAvailable { get; init; }
        public int CudaDevices { get; init; }
        public bool CudnnAvailable { get; init; }
        public required string Device { get; init; }
        public int Threads { get; init; }
        public int Batch { get; init; }
        public int Steps { get; init; }
        public int Inputs { get; init; }
        public int Warmup { get; init; }
        public int Timed { get; init; }
        [JsonPropertyName("rows")] public IReadOnlyList<KernelTimingRow> Rows { get; init; } = [];
    }
}
