namespace RnnSearch.Cluster.Tests;

/// <summary>The coordinator and trainer node programs of the same build as these tests.</summary>
internal static class Programs
{
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "RnnSearch.sln"))) return dir.FullName;
            throw new InvalidOperationException("RnnSearch.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Release or Debug, as the test assembly was built.</summary>
    public static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";

    public static string Coordinator => Existing(Path.Combine(RepositoryRoot, "src", "Coordinator", "bin", Configuration, "net10.0", "RnnSearch.Coordinator.dll"));

    public static string Trainer => Existing(File.ReadAllText(Path.Combine(Path.GetDirectoryName(Coordinator)!, "trainer-node.path")).Trim());

    public static string DataDirectory => Path.GetFullPath(Path.Combine(RepositoryRoot, "data"));

    private static string Existing(string path) => File.Exists(path) ? path : throw new InvalidOperationException($"{path} not built: run dotnet build RnnSearch.sln -c {Configuration} first");
}
