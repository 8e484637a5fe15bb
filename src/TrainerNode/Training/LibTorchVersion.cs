using System.Text.RegularExpressions;

namespace RnnSearch.TrainerNode.Training;

/// <summary>
/// Which libtorch a process has loaded and whether TorchSharp can use it. TorchSharp 0.107 is built against libtorch
/// 2.10; an older libtorch (e.g. Debian's python3-torch, 1.13, on the loader's default path) fails inside TorchSharp
/// with a page-long trace, so it is refused first with both versions named.
/// </summary>
public static partial class LibTorchVersion
{
    /// <summary>The libtorch TorchSharp 0.107 (TorchSharp-cpu's libtorch-cpu-linux-x64 package) is built against.</summary>
    public static readonly Version Required = new(2, 10);

    /// <summary>The full path of the loaded libtorch_cpu library, from /proc/self/maps, or null.</summary>
    public static string? LoadedPath()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return null;
        foreach (var line in File.ReadLines(maps))
        {
            var slash = line.IndexOf('/');
            if (slash < 0) continue;
            var path = line[slash..].Trim();
            if (Path.GetFileName(path).StartsWith("libtorch_cpu.so", StringComparison.Ordinal)) return path;
        }
        return null;
    }

    /// <summary>
    /// The version of the libtorch at <paramref name="libraryPath"/>: from the versioned file name the path resolves to
    /// (libtorch_cpu.so.1.13), else from a PyTorch install's torch/version.py, else from a libtorch distribution's
    /// build-version file; null when none says.
    /// </summary>
    public static Version? Of(string libraryPath)
    {
        var resolved = Resolve(libraryPath);
        if (SonameVersion().Match(Path.GetFileName(resolved)) is { Success: true } m && Version.TryParse(m.Groups[1].Value, out var fromName))
            return Normalise(fromName);
        var folder = Path.GetDirectoryName(resolved)!;
        var text = LibTorchFolder.PyTorchVersion(folder)
                   ?? (File.Exists(Path.Combine(folder, "..", "build-version")) ? File.ReadAllText(Path.Combine(folder, "..", "build-version")).Trim() : null);
        return text is not null && LeadingVersion().Match(text) is { Success: true } v && Version.TryParse(v.Value, out var parsed) ? Normalise(parsed) : null;
    }

    /// <summary>Null when TorchSharp can use <paramref name="found"/> (unknown versions are given a try), else why not.</summary>
    public static string? Problem(Version? found, string libraryPath, string where) =>
        found is null || (found.Major == Required.Major && found.Minor >= Required.Minor) ? null
            : $"libtorch {found.ToString(2)} found at {libraryPath} ({where}), but TorchSharp 0.107 needs libtorch {Required.ToString(2)} or a later 2.x; " +
              $"pass --libtorch DIR or set {TorchBackend.EnvironmentVariable} to the torch/lib folder of a PyTorch {Required.ToString(2)}+ install, e.g. $({LibTorchFolder.PythonHint})";

    private static string Resolve(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }

    private static Version Normalise(Version v) => new(v.Major, Math.Max(v.Minor, 0), Math.Max(v.Build, 0));

    [GeneratedRegex(@"^libtorch_cpu\.so\.(\d+\.\d+(?:\.\d+)?)$")]
    private static partial Regex SonameVersion();

    [GeneratedRegex(@"^\d+\.\d+(?:\.\d+)?")]
    private static partial Regex LeadingVersion();
}
