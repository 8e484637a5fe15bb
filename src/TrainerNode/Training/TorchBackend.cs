using System.Reflection;
using System.Runtime.InteropServices;

namespace RnnSearch.TrainerNode.Training;

/// <summary>
/// Which libtorch this trainer uses. The default build (TorchBackend=cpu) carries TorchSharp-cpu's libtorch; the
/// external build (-p:TorchBackend=external) carries only TorchSharp's glue and loads libtorch from a folder named by
/// --libtorch or RNNSEARCH_LIBTORCH (e.g. a PyTorch install with CUDA), or else from LD_LIBRARY_PATH. Call
/// <see cref="Initialize"/> before the first torch call of the process.
/// </summary>
public static class TorchBackend
{
    public const string EnvironmentVariable = "RNNSEARCH_LIBTORCH";
    private const string Glue = "libLibTorchSharp.so";
    private static readonly object Gate = new();
    private static bool _initialized;

    /// <summary>The build flavour: cpu, external or cuda (the TorchBackend MSBuild property this assembly was built with).</summary>
    public static string Flavour { get; } =
        typeof(TorchBackend).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "TorchBackend")?.Value ?? "cpu";

    /// <summary>True for the build that loads libtorch from a folder at run time.</summary>
    public static bool IsExternal => Flavour == "external";

    /// <summary>The folder libtorch was loaded from (external build with --libtorch / RNNSEARCH_LIBTORCH), else null.</summary>
    public static string? LibTorchDirectory { get; private set; }

    /// <summary>
    /// Loads libtorch for this process: <paramref name="option"/> (--libtorch), else RNNSEARCH_LIBTORCH, else (external build)
    /// whatever the dynamic loader finds through LD_LIBRARY_PATH. Idempotent; throws one-line <see cref="ArgumentException"/>s.
    /// </summary>
    public static void Initialize(string? option)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var (folder, label) = !string.IsNullOrWhiteSpace(option) ? (option, $"--libtorch {option}")
            : !string.IsNullOrWhiteSpace(fromEnvironment) ? (fromEnvironment, $"{EnvironmentVariable}={fromEnvironment}") : ((string?)null, "");
        if (!IsExternal && folder is not null)
            throw new ArgumentException($"{label}: this trainer was built with TorchBackend={Flavour} and carries its own libtorch; build it with -p:TorchBackend=external to load another one (docs/gpu.md)");
        lock (Gate)
        {
            if (_initialized)
            {
                if (folder is null || (LibTorchDirectory is { } loaded && Path.GetFullPath(folder) == loaded)) return;
                throw new ArgumentException($"{label}: libtorch is already loaded in this process from {LibTorchDirectory ?? "LD_LIBRARY_PATH"}");
            }
            if (!IsExternal)
            {
                _initialized = true;
                return;
            }
            if (folder is null)
            {
                if (!NativeLibrary.TryLoad("libtorch_cpu.so", out _))
                    throw new ArgumentException($"no libtorch: this is the external-libtorch build of the trainer; pass --libtorch DIR or set {EnvironmentVariable} to the torch/lib folder of a PyTorch install, e.g. $({LibTorchFolder.PythonHint})");
                if (LibTorchVersion.LoadedPath() is { } loaded && LibTorchVersion.Problem(LibTorchVersion.Of(loaded), loaded, "on the loader's default path or LD_LIBRARY_PATH") is { } problem)
                    throw new ArgumentException(problem);
                _initialized = true;
                return;
            }
            var libraries = LibTorchFolder.Libraries(folder, label);
            var cpu = libraries.First(l => Path.GetFileName(l) == "libtorch_cpu.so");
            if (LibTorchVersion.Problem(LibTorchVersion.Of(cpu), cpu, label) is { } tooOld) throw new ArgumentException(tooOld);
            LibTorchFolder.Load(libraries, label);
            LoadGlue(label);
            LibTorchDirectory = Path.GetFullPath(folder);
            _initialized = true;
        }
    }

    /// <summary>
    /// Loads TorchSharp's glue explicitly, so that a libtorch it cannot work with (another ABI or version) ends in the
    /// loader's message here rather than in TorchSharp's long trace at the first tensor.
    /// </summary>
    private static void LoadGlue(string label)
    {
        var candidates = new[]
        {
            Path.Combine(AppContext.BaseDirectory, Glue),
            Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", Glue),
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", Glue),
        };
        var glue = candidates.FirstOrDefault(File.Exists);
        if (glue is null) return; // TorchSharp finds it by its own probing (and says so if it cannot)
        try
        {
            NativeLibrary.Load(glue);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new ArgumentException($"{label}: TorchSharp's {Glue} does not load against this libtorch: {LibTorchFolder.LoaderMessage(e)}");
        }
    }
}
