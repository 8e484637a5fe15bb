namespace RnnSearch.Shared.Tasks;

/// <summary>
/// Where the benchmark data lives: the --data-dir option, else RNNSEARCH_DATA, else the repository's own data/
/// folder (data/README.md), found above the working directory or above the application.
/// </summary>
public static class DataDirectory
{
    public const string EnvironmentVariable = "RNNSEARCH_DATA";

    /// <summary>A file every data folder has; it tells the shipped data/ from any other folder named data.</summary>
    private static readonly string Marker = Path.Combine("polyphonic", "jsb_chorales.json.gz");

    public static string Resolve(string? option)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            if (!Directory.Exists(option)) throw new DataException($"--data-dir {option}: no such directory");
            return Path.GetFullPath(option);
        }
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            if (!Directory.Exists(fromEnvironment)) throw new DataException($"{EnvironmentVariable}={fromEnvironment}: no such directory");
            return Path.GetFullPath(fromEnvironment);
        }
        return Shipped() ?? throw new DataException("no data directory found: the repository's data/ folder is missing; pass --data-dir or set RNNSEARCH_DATA");
    }

    /// <summary>The data/ folder that ships with the repository (or a bundle), or null.</summary>
    public static string? Shipped()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "data");
                if (File.Exists(Path.Combine(candidate, Marker))) return Path.GetFullPath(candidate);
            }
        }
        return null;
    }
}
