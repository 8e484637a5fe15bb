using RnnSearch.Coordinator.Actors;
using RnnSearch.Coordinator.Leaderboard;
using RnnSearch.Coordinator.Store;

namespace RnnSearch.Coordinator.Web;

/// <summary>
/// The study the web UI shows: during <c>run</c> the live one (progress, nodes and slots from the coordinator actor,
/// results from the store), or with <c>serve</c> a stored one (everything from the store, no live node view).
/// Every request opens the store anew: the actor owns the coordinator's own connection.
/// </summary>
public sealed class StudyWebSource
{
    private readonly object _gate = new();
    private string? _leaderboardVersion;
    private LeaderboardReport? _leaderboard;

    private StudyWebSource(string studyId, string name, string description, string storePath, StudyProgress? progress, Func<bool>? completed)
    {
        StudyId = studyId;
        Name = name;
        Description = description;
        StorePath = Path.GetFullPath(storePath);
        Progress = progress;
        _completed = completed;
    }

    private readonly Func<bool>? _completed;

    public string StudyId { get; }
    public string Name { get; }
    public string Description { get; }
    public string StorePath { get; }
    /// <summary>The coordinator's live progress; null when serving a stored study.</summary>
    public StudyProgress? Progress { get; }
    public bool Live => Progress is not null;

    public static StudyWebSource ForRun(StudyContext context, string storePath) =>
        new(context.Study.Id, context.Study.Name, context.Study.Description, storePath, context.Progress, () => context.Completion.Task.IsCompleted);

    public static StudyWebSource ForStoredStudy(string storePath, StoredStudy study) =>
        new(study.Id, study.Name, study.Description, storePath, progress: null, completed: null);

    public StudyStore OpenStore() => StudyStore.Open(StorePath, create: false);

    public bool IsComplete(StudyStore store) => _completed?.Invoke() ?? store.FindStudy(StudyId)?.Completed is not null;

    /// <summary>The leaderboard, rebuilt only when a trial was added, started or finished since the last call.</summary>
    public LeaderboardReport Leaderboard(StudyStore store)
    {
        var version = store.ResultsVersion(StudyId);
        lock (_gate)
        {
            if (_leaderboard is not null && version == _leaderboardVersion) return _leaderboard;
        }
        var report = LeaderboardBuilder.Build(store, StudyId);
        lock (_gate)
        {
            _leaderboard = report;
            _leaderboardVersion = version;
        }
        return report;
    }
}
