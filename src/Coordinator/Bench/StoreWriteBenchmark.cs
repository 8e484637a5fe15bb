using System.Diagnostics;
using RnnSearch.Coordinator.Store;
using RnnSearch.Coordinator.Studies;
using RnnSearch.Shared.Benchmarks;

namespace RnnSearch.Coordinator.Bench;

/// <summary>
/// What the store costs per trial: <see cref="StudyStore.RecordResult"/> alone, and the coordinator's whole write
/// sequence per trial (StartAttempt, RecordEpoch per epoch, RecordResult with the history), with one transaction per
/// write (batch 1, as without group commit) and with N trials per transaction (the actor's group commit). A fresh store
/// per repetition on the benchmark's folder; medians over repetitions.
/// </summary>
internal static class StoreWriteBenchmark
{
    public sealed record Settings(int Trials, IReadOnlyList<int> Batches, IReadOnlyList<int> Epochs, int Repetitions, string WorkDirectory);

    public static BenchReport Run(Settings s, TextWriter progress)
    {
        var report = new BenchReport("store", ["epochs", "batch", "trials", "record_result_us", "per_trial_writes_us", "results_per_s", "trials_per_s"]);
        report.Notes.Add($"SQLite (WAL, synchronous=NORMAL) on {Path.GetFullPath(s.WorkDirectory)}; {s.Repetitions} repetitions, medians; batch = trials per transaction (1 = a transaction per write)");
        report.Notes.Add("record_result_us: RecordResult alone (attempts started before); per_trial_writes_us: StartAttempt + RecordEpoch × epochs + RecordResult");
        foreach (var epochs in s.Epochs)
        foreach (var batch in s.Batches)
        {
            var recordOnly = new List<double>();
            var perTrial = new List<double>();
            for (var rep = 0; rep < s.Repetitions; rep++)
            {
                recordOnly.Add(Measure(s, epochs, batch, wholeTrial: false));
                perTrial.Add(Measure(s, epochs, batch, wholeTrial: true));
            }
            var record = BenchStatistics.Median(recordOnly);
            var trial = BenchStatistics.Median(perTrial);
            report.Add(("epochs", epochs), ("batch", batch), ("trials", s.Trials), ("record_result_us", record), ("per_trial_writes_us", trial),
                ("results_per_s", 1e6 / record), ("trials_per_s", 1e6 / trial));
            progress.WriteLine($"  {epochs} epoch(s), batch {batch}: RecordResult {record:F1} µs, whole trial {trial:F1} µs");
        }
        return report;
    }

    /// <summary>Microseconds per trial of the measured writes.</summary>
    private static double Measure(Settings s, int epochs, int batch, bool wholeTrial)
    {
        var directory = Path.Combine(Path.GetFullPath(s.WorkDirectory), $"store-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            var studyPath = Path.Combine(directory, "study.toml");
            File.WriteAllText(studyPath, OrchestratorBenchmark.StudyToml(s.Trials));
            var study = StudyFile.Load(studyPath);
            var candidates = CandidateGenerator.Expand(study).Candidates;
            var scheduler = new TrialScheduler(study, candidates, []);
            using var store = StudyStore.Open(Path.Combine(directory, "store.db"));
            store.CreateStudy(study, candidates, scheduler.CreateInitialTrials());
            var history = Enumerable.Range(1, epochs).Select(e => (e, 1.5, 1.2, 0.5, 1000.0)).ToList();
            var outcome = new TrialOutcome("ok", 1.2, 1.3, epochs, epochs, 1000, 0.5 * epochs, "cpu", "node", 2.0, null);
            var trials = new List<TrialRecord>();
            while (scheduler.Next("node", 0, DateTimeOffset.UtcNow) is { } next) trials.Add(next);

            if (!wholeTrial)
                foreach (var trial in trials) trial.CurrentAttempt = store.StartAttempt(study.Id, trial, "node", 0);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < trials.Count; i++)
            {
                if (batch > 1 && i % batch == 0) store.BeginBatch();
                var trial = trials[i];
                if (wholeTrial)
                {
                    trial.CurrentAttempt = store.StartAttempt(study.Id, trial, "node", 0);
                    foreach (var (e, loss, valid, seconds, rate) in history) store.RecordEpoch(study.Id, trial.Id, trial.CurrentAttempt, e, loss, valid, seconds, rate);
                }
                if (!store.RecordResult(study.Id, trial.Id, trial.CurrentAttempt, outcome, history)) throw new InvalidOperationException("the store refused a result");
                if (batch > 1 && (i + 1) % batch == 0) store.CommitBatch();
            }
            store.CommitBatch();
            return clock.Elapsed.TotalMicroseconds / trials.Count;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }
}
