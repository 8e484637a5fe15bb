using RnnSearch.Shared.Tasks;
namespace RnnSearch.TrainerNode.Tests;

/// <summary>The benchmark data the repository ships (data/).</summary>
internal static class TestData
{
    public static string Directory => RnnSearch.Shared.Tasks.DataDirectory.Resolve(null);

    public static string TemporaryDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "rnnsearch-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(path);
        return path;
    }
}
