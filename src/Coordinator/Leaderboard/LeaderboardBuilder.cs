using RnnSearch.Coordinator.Store;
using RnnSearch.Coordinator.Studies;
using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Measures;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Coordinator.Leaderboard;

/// <summary>
/// Aggregates the final trials of a study: per task and candidate the mean and 95 % CI of the test metric over seeds;
/// per placement family against the baseline of the same task, cell and budget a paired t-test over seeds with Holm's
/// correction across the families of that group, and a verdict; the same pooled over tasks (pairs = task × seed);
/// trainability per family from the tuning draws (or the final trials when nothing was tuned).
/// </summary>
public static class LeaderboardBuilder
{
    public const double Alpha = 0.05;

    public static LeaderboardReport Build(StudyStore store, string studyId)
    {
        var candidates = store.LoadCandidates(studyId);
        var trials = store.LoadTrials(studyId);
        var found = store.FindStudy(studyId);
        return Build(studyId, candidates, trials, found?.Created, found?.Completed);
    }

    public static LeaderboardReport Build(string studyId, IReadOnlyList<Candidate> candidates, IReadOnlyList<TrialRecord> trials, DateTimeOffset? created = null, DateTimeOffset? completed = null)
    {
        var finals = trials.Where(t => t.Phase == TrialPhase.Final).ToList();
        var usable = (TrialRecord t) => t.State == TrialState.Done && t.Outcome is { Status: "ok" or "stopped", TestMetric: { } m } && double.IsFinite(m);

        var rows = new List<LeaderboardRow>();
        foreach (var candidate in candidates)
        {
            var mine = finals.Where(t => t.CandidateId == candidate.Id).ToList();
            var tests = mine.Where(usable).Select(t => t.Outcome!.TestMetric!.Value).ToList();
            var valids = mine.Where(usable).Select(t => t.Outcome!.ValidMetric ?? double.NaN).Where(double.IsFinite).ToList();
            var spec = ArchSpecParser.Parse(candidate.Spec);
            var measures = ArchitectureMeasures.Compute(spec, TaskCatalog.Get(candidate.Task).Shape);
            var ci = Statistics.ConfidenceInterval95(tests);
            rows.Add(new LeaderboardRow
            {
                Task = candidate.Task, Candidate = candidate.Id, Spec = candidate.Spec, Family = candidate.Family, Cell = candidate.Cell, Depth = candidate.Depth,
                Budget = candidate.Budget, Params = candidate.Params, RecurrentDepth = measures.RecurrentDepth, FeedForwardDepth = measures.FeedForwardDepth,
                Seeds = tests.Count, MetricName = TaskCatalog.Get(candidate.Task).MetricName,
                TestMean = tests.Count > 0 ? tests.Average() : null, TestCi95 = ci is { } c ? [c.Low, c.High] : null,
                ValidMean = valids.Count > 0 ? valids.Average() : null,
                EpochsMean = mine.Where(usable).Select(t => (double)t.Outcome!.Epochs).DefaultIfEmpty(double.NaN).Average() is var e && double.IsFinite(e) ? e : null,
                TrainSecondsMean = mine.Where(usable).Select(t => t.Outcome!.TrainSeconds).DefaultIfEmpty(double.NaN).Average() is var s && double.IsFinite(s) ? s : null,
                Status = mine.GroupBy(t => t.State == TrialState.Done ? t.Outcome!.Status : t.State.ToString().ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Count()),
                Hyper = mine.FirstOrDefault()?.Hyper,
            });
        }
        var ranked = rows.GroupBy(r => r.Task).SelectMany(g => g.OrderBy(r => r.TestMean ?? double.PositiveInfinity)
            .Select((r, i) => r with { Rank = i + 1 })).ToList();

        var verdicts = new List<Verdict>();
        foreach (var group in candidates.GroupBy(c => (c.Task, c.Cell, c.Budget)))
        {
            var baseline = group.FirstOrDefault(c => c.Family == PlacementFamily.Baseline.Name());
            if (baseline is null) continue;
            var baseTests = SeedMetrics(finals, baseline.Id, usable);
            var entries = group.Where(c => c.Id != baseline.Id).Select(c =>
            {
                var theirs = SeedMetrics(finals, c.Id, usable);
                var deltas = theirs.Keys.Intersect(baseTests.Keys).Order().Select(seed => theirs[seed] - baseTests[seed]).ToList();
                return (Candidate: c, Deltas: deltas, P: Statistics.PairedTTest(deltas));
            }).ToList();
            var holm = Statistics.Holm(entries.Select(e => e.P).ToList());
            verdicts.AddRange(entries.Select((e, i) => MakeVerdict(group.Key.Task, group.Key.Cell, group.Key.Budget, e.Candidate.Family, e.Candidate.Depth, e.Candidate.Spec, baseline.Spec, e.Deltas, e.P, holm[i])));
        }

        // Pooled over tasks: the same family, depth, cell and budget against its per-task baseline, pairs = (task, seed).
        var pooled = new List<Verdict>();
        foreach (var group in candidates.Where(c => c.Family != PlacementFamily.Baseline.Name()).GroupBy(c => (c.Cell, c.Budget, c.Family, c.Depth)).ToList() is var families
                 ? families.GroupBy(f => (f.Key.Cell, f.Key.Budget)) : [])
        {
            var entries = group.Select(family =>
            {
                var deltas = new List<double>();
                foreach (var candidate in family)
                {
                    var baseline = candidates.FirstOrDefault(c => c.Task == candidate.Task && c.Cell == candidate.Cell && c.Budget == candidate.Budget && c.Family == PlacementFamily.Baseline.Name());
                    if (baseline is null) continue;
                    var baseTests = SeedMetrics(finals, baseline.Id, usable);
                    var theirs = SeedMetrics(finals, candidate.Id, usable);
                    deltas.AddRange(theirs.Keys.Intersect(baseTests.Keys).Order().Select(seed => theirs[seed] - baseTests[seed]));
                }
                return (Family: family.Key, Deltas: deltas, P: Statistics.PairedTTest(deltas), Tasks: family.Select(c => c.Task).Distinct().Count());
            }).Where(e => e.Tasks > 1).ToList();
            var holm = Statistics.Holm(entries.Select(e => e.P).ToList());
            pooled.AddRange(entries.Select((e, i) => MakeVerdict("all", e.Family.Cell, e.Family.Budget, e.Family.Family, e.Family.Depth, $"{e.Family.Family}-{e.Family.Depth}", "baseline", e.Deltas, e.P, holm[i])));
        }

        var tuning = trials.Any(t => t.Phase == TrialPhase.Tune) ? trials.Where(t => t.Phase == TrialPhase.Tune) : finals;
        var trainability = tuning.Where(t => t.State == TrialState.Done).GroupBy(t =>
        {
            var candidate = candidates.First(c => c.Id == t.CandidateId);
            return (candidate.Family, candidate.Cell);
        }).Select(g =>
        {
            var diverged = g.Count(t => t.Outcome!.Status == "diverged");
            var failed = g.Count(t => t.Outcome!.Status == "failed");
            var trivial = g.Count(t => t.Outcome!.Status is "ok" or "stopped" && (t.Outcome.ValidMetric is not { } v || !double.IsFinite(v) || (t.Outcome.TrivialValidMetric is { } tr && v >= tr)));
            return new Trainability
            {
                Family = g.Key.Family, Cell = g.Key.Cell, Trials = g.Count(), Diverged = diverged, Failed = failed, NeverBeatTrivial = trivial,
                UntrainableShare = (diverged + failed + trivial) / (double)g.Count(),
            };
        }).OrderBy(t => t.Cell).ThenBy(t => t.Family).ToList();

        var tasks = candidates.Select(c => c.Task).Distinct().Select(task => new TaskSummary(task, TaskCatalog.Get(task).MetricName,
            finals.Where(t => candidates.First(c => c.Id == t.CandidateId).Task == task).Select(t => t.Outcome?.TrivialValidMetric).FirstOrDefault(v => v is not null))).ToList();
        var name = studyId.Contains('-') ? studyId[..studyId.LastIndexOf('-')] : studyId;
        return new LeaderboardReport
        {
            Study = new StudySummary
            {
                Id = studyId, Name = name, Trials = trials.Count, Done = trials.Count(t => t.State == TrialState.Done),
                Complete = completed is not null, CreatedAt = created?.ToString("O"), CompletedAt = completed?.ToString("O"),
            },
            Tasks = tasks, Rows = ranked, Verdicts = verdicts, PooledVerdicts = pooled, Trainability = trainability,
        };
    }

    private static Dictionary<long, double> SeedMetrics(IEnumerable<TrialRecord> finals, long candidateId, Func<TrialRecord, bool> usable) =>
        finals.Where(t => t.CandidateId == candidateId && usable(t)).GroupBy(t => t.Seed).ToDictionary(g => g.Key, g => g.First().Outcome!.TestMetric!.Value);

    private static Verdict MakeVerdict(string task, string cell, long? budget, string family, int depth, string candidate, string baseline, List<double> deltas, double? p, double? pHolm)
    {
        var ci = Statistics.ConfidenceInterval95(deltas);
        var outcome = deltas.Count < 2 ? "insufficient data"
            : pHolm < Alpha ? deltas.Average() < 0 ? "better" : "worse"
            : "no detectable difference";
        return new Verdict
        {
            Task = task, Cell = cell, Budget = budget, Family = family, Depth = depth, Candidate = candidate, Baseline = baseline, Pairs = deltas.Count,
            DeltaMean = deltas.Count > 0 ? deltas.Average() : null, DeltaCi95 = ci is { } c ? [c.Low, c.High] : null, PValue = p, PHolm = pHolm, Outcome = outcome,
        };
    }
}
