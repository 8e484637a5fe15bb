using RnnSearch.Shared.Tasks;
namespace RnnSearch.TrainerNode.Tests;

/// <summary>The shared benchmark data beside the repository (../shared/data), as CI lays it out.</summary>
internal static class TestData
{
    public static string Directory => DataDirectory.Resolve(null);

    public static string TemporaryDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "rnnsearch-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(path);
        return path;
    }
}
