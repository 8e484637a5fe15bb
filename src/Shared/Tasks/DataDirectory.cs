namespace RnnSearch.Shared.Tasks;

/// <summary>
/// Where the benchmark data lives: the --data-dir option, else RNNSEARCH_DATA, else the first "shared/data"
/// found beside the working directory or any folder above it or above the application.
/// </summary>
public static class DataDirectory
{
    public const string EnvironmentVariable = "RNNSEARCH_DATA";

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
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "data"), Path.Combine(dir.FullName, "..", "shared", "data") })
                    if (File.Exists(Path.Combine(candidate, "README.md")) && Directory.Exists(Path.Combine(candidate, "polyphonic")))
                        return Path.GetFullPath(candidate);
            }
        }
        throw new DataException("no data directory found: pass --data-dir, set RNNSEARCH_DATA, or place shared/data beside the repository");
    }
}
