using System.Runtime.InteropServices;

namespace RnnSearch.TrainerNode.Training;

/// <summary>
/// A libtorch folder given at run time (the <c>torch/lib</c> folder of a PyTorch install, or any libtorch's <c>lib</c>):
/// which of its libraries to load, in dependency order, and loading them by full path. The dynamic loader reads
/// LD_LIBRARY_PATH only when a process starts, so the libraries are loaded here one by one; libLibTorchSharp.so's own
/// needs (libc10.so, libtorch_cpu.so, libtorch.so) are then met by the libraries already loaded under those names.
/// </summary>
public static class LibTorchFolder
{
    /// <summary>Libraries every libtorch has, in load order.</summary>
    public static readonly IReadOnlyList<string> Required = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];

    /// <summary>The example in every message: where a PyTorch install keeps its libtorch.</summary>
    public const string PythonHint = "python3 -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), \"lib\"))'";

    /// <summary>
    /// Checks the folder and returns the full paths to load, in order: libc10, libc10_cuda (if present), libtorch_cpu,
    /// libtorch_cuda (if present), libtorch. Throws a one-line <see cref="ArgumentException"/> that starts with
    /// <paramref name="label"/> (e.g. "--libtorch DIR" or "RNNSEARCH_LIBTORCH=DIR").
    /// </summary>
    public static IReadOnlyList<string> Libraries(string folder, string label)
    {
        if (!Directory.Exists(folder)) throw new ArgumentException($"{label}: no such directory");
        var full = Path.GetFullPath(folder);
        var missing = Required.Where(name => !File.Exists(Path.Combine(full, name))).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"{label}: no libtorch there (missing {string.Join(", ", missing)}); give the torch/lib folder of a PyTorch install, e.g. $({PythonHint})");
        var order = new List<string> { "libc10.so" };
        if (File.Exists(Path.Combine(full, "libc10_cuda.so"))) order.Add("libc10_cuda.so");
        order.Add("libtorch_cpu.so");
        if (File.Exists(Path.Combine(full, "libtorch_cuda.so"))) order.Add("libtorch_cuda.so");
        order.Add("libtorch.so");
        return order.Select(name => Path.Combine(full, name)).ToList();
    }

    /// <summary>Loads each library by full path; a library that does not load ends in a one-line error with the loader's message.</summary>
    public static void Load(IEnumerable<string> libraries, string label)
    {
        foreach (var library in libraries)
        {
            try
            {
                NativeLibrary.Load(library);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                throw new ArgumentException($"{label}: cannot load {library}: {LoaderMessage(e)}");
            }
        }
    }

    /// <summary>The dynamic loader's own words (dlerror), without .NET's advice around them.</summary>
    public static string LoaderMessage(Exception e)
    {
        var lines = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? e.GetType().Name : lines[^1];
    }

    /// <summary>The PyTorch version recorded beside a PyTorch install's torch/lib (torch/version.py), or null.</summary>
    public static string? PyTorchVersion(string folder)
    {
        var versionFile = Path.Combine(folder, "..", "version.py");
        if (!File.Exists(versionFile)) return null;
        foreach (var line in File.ReadLines(versionFile))
        {
            var trimmed = line.Trim();
            if (!trimmed.StartsWith("__version__", StringComparison.Ordinal)) continue;
            var quote = trimmed.IndexOfAny(['\'', '"']);
            var end = quote < 0 ? -1 : trimmed.IndexOf(trimmed[quote], quote + 1);
            if (end > quote) return trimmed[(quote + 1)..end];
        }
        return null;
    }
}
