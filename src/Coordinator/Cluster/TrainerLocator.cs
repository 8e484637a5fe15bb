namespace RnnSearch.Coordinator.Cluster;

/// <summary>
/// Finds the trainer node program to start local trainers with: --trainer-command, else RNNSEARCH_TRAINER, else the
/// TrainerNode built beside this coordinator (trainer-node.path, written by the build), else a bundle's trainer/ folder.
/// </summary>
public static class TrainerLocator
{
    public const string EnvironmentVariable = "RNNSEARCH_TRAINER";

    /// <summary>The executable and the leading arguments (e.g. "dotnet" and the assembly path).</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) Locate(string? option)
    {
        var configured = option ?? Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured)) return FromPath(configured, option is not null ? "--trainer-command" : EnvironmentVariable);

        var recorded = Path.Combine(AppContext.BaseDirectory, "trainer-node.path");
        if (File.Exists(recorded) && File.ReadAllText(recorded).Trim() is { Length: > 0 } built && File.Exists(built)) return FromPath(built, recorded);

        foreach (var candidate in new[] { Path.Combine(AppContext.BaseDirectory, "..", "trainer", "RnnSearch.TrainerNode"), Path.Combine(AppContext.BaseDirectory, "..", "trainer", "RnnSearch.TrainerNode.dll") })
            if (File.Exists(candidate)) return FromPath(Path.GetFullPath(candidate), "bundle");
        throw new ArgumentException("no trainer node program found: build src/TrainerNode (dotnet build), or pass --trainer-command PATH");
    }

    private static (string, IReadOnlyList<string>) FromPath(string path, string source)
    {
        if (!File.Exists(path)) throw new ArgumentException($"{source}: trainer node program {path} not found");
        return path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ("dotnet", [path]) : (path, []);
    }
}
