using RnnSearch.Coordinator.Leaderboard;
using RnnSearch.Coordinator.Store;
using RnnSearch.Coordinator.Studies;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Coordinator.Report;

/// <summary>Everything the report reads from the store for one study, loaded once.</summary>
public sealed record ReportData(
    StoredStudy Study, StudyDefinition? Definition, LeaderboardReport Leaderboard, IReadOnlyList<StoredTrial> Trials,
    IReadOnlyDictionary<long, IReadOnlyList<(int Epoch, double Valid)>> Curves, string StorePath)
{
    public static ReportData Load(StudyStore store, string studyId)
    {
        var study = store.LoadStudy(studyId) ?? throw new StoreException($"store {store.Path} has no study '{studyId}'");
        StudyDefinition? definition;
        try
        {
            definition = StudyFile.Parse(study.Definition, $"{studyId} (stored study file)");
        }
        catch (StudyFileException)
        {
            definition = null; // written by another version: the report still works from the stored rows
        }
        return new ReportData(study, definition, LeaderboardBuilder.Build(store, studyId), store.LoadTrialRows(studyId), store.LoadCurves(studyId), store.Path);
    }

    public IReadOnlyList<string> Tasks => Leaderboard.Tasks.Select(t => t.Task).ToList();

    public string MetricName(string task) => TaskCatalog.TryGet(task, out var info) ? info!.MetricName : "metric";

    /// <summary>Every counted final seed with the value it enters the leaderboard with (what the leaderboard averages).</summary>
    public IEnumerable<(LeaderboardRow Row, SeedValue Seed)> CountedSeeds =>
        Leaderboard.Rows.SelectMany(r => r.SeedValues.Where(s => s.Counted && s.Value is not null).Select(s => (r, s)));

    public IReadOnlyList<string> Families => Trials.Select(t => t.Family).Distinct().ToList();
}
