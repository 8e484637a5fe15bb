namespace RnnSearch.TrainerNode.Tests;

/// <summary>The CPU libtorch that TorchSharp-cpu restores into the NuGet cache: a real "external libtorch" folder for tests.</summary>
internal static class NuGetLibTorch
{
    public static string? Folder
    {
        get
        {
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
                ? configured
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var package = Path.Combine(packages, "libtorch-cpu-linux-x64");
            if (!Directory.Exists(package)) return null;
            return Directory.GetDirectories(package)
                .Select(version => Path.Combine(version, "runtimes", "linux-x64", "native"))
                .Where(native => File.Exists(Path.Combine(native, "libtorch_cpu.so")))
                .OrderByDescending(native => native, StringComparer.Ordinal)
                .FirstOrDefault();
        }
    }

    public const string Missing = "the NuGet cache has no libtorch-cpu-linux-x64 (restore the default build first: dotnet build RnnSearch.sln)";
}

/// <summary>A fact that uses the NuGet cache's CPU libtorch as an external libtorch: skipped, with the reason, without it.</summary>
public sealed class NuGetLibTorchFactAttribute : FactAttribute
{
    public NuGetLibTorchFactAttribute()
    {
        if (NuGetLibTorch.Folder is null) Skip = NuGetLibTorch.Missing;
    }
}
