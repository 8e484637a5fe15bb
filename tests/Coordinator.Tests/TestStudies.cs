using RnnSearch.Coordinator.Studies;

namespace RnnSearch.Coordinator.Tests;

/// <summary>Small study definitions for tests.</summary>
internal static class TestStudies
{
    public static StudyDefinition Parse(string toml) => StudyFile.Parse(toml, "test.toml");

    public const string Tiny = """
        name = "tiny"
        tasks = ["jsb"]
        cells = ["LSTM"]
        placements = ["baseline", "stack", "deep-output"]
        budgets = [20000]
        seeds = [1, 2, 3]
        [training]
        max_batches_per_epoch = 2
        [fidelity]
        max_epochs = 2
        """;

    public const string Tuned = """
        name = "tuned"
        tasks = ["jsb"]
        cells = ["GRU"]
        placements = ["baseline", "deep-input"]
        budgets = [20000]
        seeds = [1, 2]
        [tuning]
        search = "tpe"
        draws = 4
        lr = [0.001, 0.01]
        dropout = [0.0, 0.3]
        batch = [8, 16]
        [fidelity]
        max_epochs = 9
        asha = true
        min_epochs = 1
        reduction_factor = 3
        """;

    public static string TemporaryDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "rnnsearch-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
