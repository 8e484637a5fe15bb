using Microsoft.Data.Sqlite;
using RnnSearch.Coordinator.Store;
using RnnSearch.Coordinator.Studies;

namespace RnnSearch.Coordinator.Tests;

public class StudyStoreTests
{
    private static (StudyStore Store, StudyDefinition Study, TrialScheduler Scheduler) NewStore()
    {
        var study = TestStudies.Parse(TestStudies.Tiny);
        var candidates = CandidateGenerator.Expand(study).Candidates;
        var scheduler = new TrialScheduler(study, candidates, []);
        var store = StudyStore.Open(Path.Combine(TestStudies.TemporaryDirectory(), "s.db"));
        store.CreateStudy(study, candidates, scheduler.CreateInitialTrials());
        return (store, study, scheduler);
    }

    private static readonly TrialOutcome Result = new("ok", 8.9, 9.0, 2, 2, 20_000, 3.5, "cpu", "node-a", 11, null);

    [Fact]
    public void A_result_is_recorded_once_and_only_for_the_current_attempt()
    {
        var (store, study, scheduler) = NewStore();
        using var _ = store;
        var trial = scheduler.Next("a", 0, DateTimeOffset.UtcNow)!;
        var first = store.StartAttempt(study.Id, trial, "a", 0);
        store.EndAttempt(study.Id, trial.Id, first, "trainer died", failTrial: false);
        var second = store.StartAttempt(study.Id, trial, "b", 0);

        Assert.False(store.RecordResult(study.Id, trial.Id, first, Result, []));   // superseded attempt
        Assert.True(store.RecordResult(study.Id, trial.Id, second, Result, [(1, 10.0, 9.5, 1.0, 100.0), (2, 9.0, 8.9, 1.0, 100.0)]));
        Assert.False(store.RecordResult(study.Id, trial.Id, second, Result, []));  // duplicate delivery

        var stored = store.LoadTrials(study.Id).Single(t => t.Id == trial.Id);
        Assert.Equal(TrialState.Done, stored.State);
        Assert.Equal(9.0, stored.Outcome!.TestMetric);
        Assert.Equal(2, stored.Attempts);
        Assert.Equal(8.9, stored.Curve[2]);
        using var count = store.Command("SELECT count(*) FROM attempts WHERE trial_id=$t", ("$t", trial.Id));
        Assert.Equal(2L, count.ExecuteScalar());
    }

    [Fact]
    public void Restart_puts_running_trials_back_to_pending()
    {
        var (store, study, scheduler) = NewStore();
        using var _ = store;
        var trial = scheduler.Next("a", 0, DateTimeOffset.UtcNow)!;
        store.StartAttempt(study.Id, trial, "a", 0);
        Assert.Equal(1, store.ResetRunning(study.Id));
        Assert.Equal(TrialState.Pending, store.LoadTrials(study.Id).Single(t => t.Id == trial.Id).State);
    }

    [Fact]
    public void Files_that_are_not_rnnsearch_stores_are_refused_clearly()
    {
        var directory = TestStudies.TemporaryDirectory();
        var text = Path.Combine(directory, "notes.db");
        File.WriteAllText(text, "hello, this is not a database at all");
        Assert.Contains("is not an SQLite database", Assert.Throws<StoreException>(() => StudyStore.Open(text)).Message);

        var foreign = Path.Combine(directory, "foreign.db");
        using (var connection = new SqliteConnection($"Data Source={foreign};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE customers (id INTEGER)";
            command.ExecuteNonQuery();
        }
        Assert.Contains("not an RnnSearch store", Assert.Throws<StoreException>(() => StudyStore.Open(foreign)).Message);
        Assert.Equal("CREATE TABLE customers (id INTEGER)".Length > 0, File.Exists(foreign));
    }

    [Fact]
    public void A_store_from_a_newer_schema_is_refused()
    {
        var path = Path.Combine(TestStudies.TemporaryDirectory(), "new.db");
        StudyStore.Open(path).Dispose();
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE meta SET value='99' WHERE key='schema_version'";
            command.ExecuteNonQuery();
        }
        var error = Assert.Throws<StoreException>(() => StudyStore.Open(path));
        Assert.Contains("has store schema 99, written by a newer RnnSearch", error.Message);
    }
}
