using RnnSearch.Coordinator.Store;
using RnnSearch.Coordinator.Studies;
using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Measures;
using RnnSearch.Shared.Protocol;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Coordinator.Leaderboard;

/// <summary>
/// Aggregates the final trials of a study (docs/protocol.md, "Statistics"): per task and candidate the mean and 95 % CI
/// of every counted final seed (<see cref="FinalSeeds"/>); per placement against the baseline of the same task, cell
/// and budget the paired difference over seeds with its t-interval, paired t-test, Holm's correction across the
/// placements of that group, the relative difference with a paired-bootstrap interval and the minimum detectable
/// effect; pooled over the tasks that share a metric a signed-rank test of the per-task relative differences;
/// candidates without a budget only listed; trainability per family from the tuning draws (or the final trials when
/// nothing was tuned).
/// </summary>
public static class LeaderboardBuilder
{
    public const double Alpha = 0.05;

    public const string Better = "better";
    public const string Worse = "worse";
    public const string NoDifference = "no detectable difference";
    public const string InsufficientData = "insufficient data";
    public const string NotSizeMatched = "not size-matched";
    public const string TooFewTasks = "too few tasks";

    public static LeaderboardReport Build(StudyStore store, string studyId)
    {
        var candidates = store.LoadCandidates(studyId);
        var trials = store.LoadTrials(studyId);
        var found = store.FindStudy(studyId);
        return Build(studyId, candidates, trials, found?.Created, found?.Completed);
    }

    public static LeaderboardReport Build(string studyId, IReadOnlyList<Candidate> candidates, IReadOnlyList<TrialRecord> trials, DateTimeOffset? created = null, DateTimeOffset? completed = null)
    {
        var byId = candidates.ToDictionary(c => c.Id);
        var finals = trials.Where(t => t.Phase == TrialPhase.Final).ToList();
        var reportedTrivial = candidates.Select(c => c.Task).Distinct().ToDictionary(task => task, task => trials
            .Where(t => byId[t.CandidateId].Task == task).OrderBy(t => t.Id).Select(t => t.Outcome?.TrivialValidMetric).FirstOrDefault(v => v is { } x && double.IsFinite(x)));
        var seeds = candidates.ToDictionary(c => c.Id, c => SeedsOf(c, finals, reportedTrivial[c.Task]));

        var rows = new List<LeaderboardRow>();
        foreach (var candidate in candidates)
        {
            var mine = finals.Where(t => t.CandidateId == candidate.Id).ToList();
            var counted = seeds[candidate.Id].Where(s => s.Use == SeedUse.Counted).ToList();
            var countedTrials = mine.Where(t => counted.Any(s => s.Seed == t.Seed)).ToList();
            var tests = counted.Select(s => s.Value!.Value).ToList();
            var valids = countedTrials.Where(t => t.Outcome!.Status == TrialStatus.Ok).Select(t => t.Outcome!.ValidMetric ?? double.NaN).Where(double.IsFinite).ToList();
            var spec = ArchSpecParser.Parse(candidate.Spec);
            var measures = ArchitectureMeasures.Compute(spec, TaskCatalog.Get(candidate.Task).Shape);
            var ci = Statistics.ConfidenceInterval95(tests);
            rows.Add(new LeaderboardRow
            {
                Task = candidate.Task, Candidate = candidate.Id, Spec = candidate.Spec, Family = candidate.Family, Cell = candidate.Cell, Depth = candidate.Depth,
                Budget = candidate.Budget, Params = candidate.Params, RecurrentDepth = measures.RecurrentDepth, FeedForwardDepth = measures.FeedForwardDepth,
                Seeds = counted.Count, Survivors = counted.Count(s => s.Survived), StoppedTime = seeds[candidate.Id].Count(s => s.Use == SeedUse.StoppedByTime),
                MetricName = TaskCatalog.Get(candidate.Task).MetricName,
                TestMean = tests.Count > 0 ? tests.Average() : null, TestCi95 = ci is { } c ? [c.Low, c.High] : null,
                ValidMean = valids.Count > 0 ? valids.Average() : null,
                EpochsMean = countedTrials.Count > 0 ? countedTrials.Average(t => (double)t.Outcome!.Epochs) : null,
                TrainSecondsMean = countedTrials.Count > 0 ? countedTrials.Average(t => t.Outcome!.TrainSeconds) : null,
                Status = mine.GroupBy(t => t.State == TrialState.Done ? t.Outcome!.Status : t.State.ToString().ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Count()),
                Hyper = mine.FirstOrDefault()?.Hyper,
                SeedValues = seeds[candidate.Id].Where(s => s.Use != SeedUse.NotFinished).Select(s => new SeedValue(s.Seed, s.Status, s.Value, s.Use == SeedUse.Counted)).ToList(),
            });
        }
        var ranked = rows.GroupBy(r => r.Task).SelectMany(g => g.OrderBy(r => r.TestMean ?? double.PositiveInfinity)
            .Select((r, i) => r with { Rank = i + 1 })).ToList();

        var verdicts = new List<Verdict>();
        var unmatched = new List<Verdict>();
        foreach (var group in candidates.GroupBy(c => (c.Task, c.Cell, c.Budget)))
        {
            var baseline = group.FirstOrDefault(c => c.Family == PlacementFamily.Baseline.Name());
            if (baseline is null) continue;
            var comparisons = group.Where(c => c.Id != baseline.Id).Select(c => Compare(c, baseline, seeds[c.Id], seeds[baseline.Id], sizeMatched: group.Key.Budget is not null)).ToList();
            if (group.Key.Budget is null)
            {
                // Sizes fixed by the specs: a difference could come from the size, not the placement.
                unmatched.AddRange(comparisons.Select(v => v with { Outcome = NotSizeMatched }));
                continue;
            }
            var holm = Statistics.Holm(comparisons.Select(v => v.PValue).ToList());
            verdicts.AddRange(comparisons.Select((v, i) => v with
            {
                PHolm = holm[i],
                Outcome = v.Pairs < 2 ? InsufficientData : holm[i] < Alpha ? v.DeltaMean < 0 ? Better : Worse : NoDifference,
            }));
        }

        var tasks = candidates.Select(c => c.Task).Distinct().Select(task => new TaskSummary(task, TaskCatalog.Get(task).MetricName, reportedTrivial[task])).ToList();
        var name = studyId.Contains('-') ? studyId[..studyId.LastIndexOf('-')] : studyId;
        return new LeaderboardReport
        {
            Study = new StudySummary
            {
                Id = studyId, Name = name, Trials = trials.Count, Done = trials.Count(t => t.State == TrialState.Done),
                Complete = completed is not null, CreatedAt = created?.ToString("O"), CompletedAt = completed?.ToString("O"),
            },
            Tasks = tasks, Rows = ranked, Verdicts = verdicts, PooledVerdicts = PooledVerdicts.Build(verdicts), NotSizeMatched = unmatched,
            Trainability = TrainabilityOf(candidates, trials, reportedTrivial),
        };
    }

    private static List<FinalSeed> SeedsOf(Candidate candidate, IEnumerable<TrialRecord> finals, double? reportedTrivial) =>
        finals.Where(t => t.CandidateId == candidate.Id).GroupBy(t => t.Seed).Select(g => g.OrderBy(t => t.Id).First()).OrderBy(t => t.Seed)
            .Select(t => FinalSeeds.Classify(t.Seed, t.State == TrialState.Done ? t.Outcome?.Status : null, t.Outcome?.TestMetric,
                FinalSeeds.Trivial(candidate.Task, t.Outcome?.TrivialValidMetric, reportedTrivial)))
            .ToList();

    /// <summary>The paired comparison of one candidate with its baseline, before Holm's correction and the verdict.</summary>
    private static Verdict Compare(Candidate candidate, Candidate baseline, List<FinalSeed> theirs, List<FinalSeed> baseSeeds, bool sizeMatched)
    {
        var mine = theirs.ToDictionary(s => s.Seed);
        var base_ = baseSeeds.ToDictionary(s => s.Seed);
        var paired = mine.Keys.Intersect(base_.Keys).Order().Where(s => mine[s].Use == SeedUse.Counted && base_[s].Use == SeedUse.Counted).ToList();
        var lost = mine.Keys.Union(base_.Keys).Count(s => mine.GetValueOrDefault(s)?.Use == SeedUse.StoppedByTime || base_.GetValueOrDefault(s)?.Use == SeedUse.StoppedByTime);
        var candidateValues = paired.Select(s => mine[s].Value!.Value).ToList();
        var baselineValues = paired.Select(s => base_[s].Value!.Value).ToList();
        var deltas = candidateValues.Zip(baselineValues, (c, b) => c - b).ToList();
        var ci = Statistics.ConfidenceInterval95(deltas);
        var relativeCi = Bootstrap.RelativeDifferenceCi95(candidateValues, baselineValues);
        var baselineMean = baselineValues.Count > 0 ? baselineValues.Average() : (double?)null;
        var mde = sizeMatched ? Statistics.MinimumDetectableEffect(Statistics.StdDev(deltas), deltas.Count) : null;
        return new Verdict
        {
            Task = candidate.Task, MetricName = TaskCatalog.Get(candidate.Task).MetricName, Cell = candidate.Cell, Budget = candidate.Budget,
            Family = candidate.Family, Depth = candidate.Depth, Candidate = candidate.Spec, Baseline = baseline.Spec, Params = candidate.Params, BaselineParams = baseline.Params,
            Pairs = deltas.Count, CandidateSurvivors = paired.Count(s => mine[s].Survived), BaselineSurvivors = paired.Count(s => base_[s].Survived), StoppedTimeSeeds = lost,
            BaselineMean = baselineMean, DeltaMean = deltas.Count > 0 ? deltas.Average() : null, DeltaCi95 = ci is { } c ? [c.Low, c.High] : null,
            RelativeDelta = Bootstrap.RelativeDifference(candidateValues, baselineValues), RelativeCi95 = relativeCi is { } r ? [r.Low, r.High] : null,
            Mde = mde, MdeRelative = mde is { } m && baselineMean is > 0 ? m / baselineMean : null,
            PValue = sizeMatched ? Statistics.PairedTTest(deltas) : null, Outcome = InsufficientData,
        };
    }

    private static IReadOnlyList<Trainability> TrainabilityOf(IReadOnlyList<Candidate> candidates, IReadOnlyList<TrialRecord> trials, IReadOnlyDictionary<string, double?> reportedTrivial)
    {
        var byId = candidates.ToDictionary(c => c.Id);
        var tuning = trials.Any(t => t.Phase == TrialPhase.Tune) ? trials.Where(t => t.Phase == TrialPhase.Tune) : trials.Where(t => t.Phase == TrialPhase.Final);
        return tuning.Where(t => t.State == TrialState.Done && t.Outcome is not null && t.Outcome.Status != TrialStatus.Stopped)
            .GroupBy(t => (byId[t.CandidateId].Family, byId[t.CandidateId].Cell)).Select(g =>
            {
                int Count(string status) => g.Count(t => t.Outcome!.Status == status);
                var never = g.Count(t => t.Outcome!.Status == TrialStatus.Ok && (t.Outcome.ValidMetric is not { } v || !double.IsFinite(v)
                    || v >= FinalSeeds.Trivial(byId[t.CandidateId].Task, t.Outcome.TrivialValidMetric, reportedTrivial[byId[t.CandidateId].Task])));
                var (diverged, failed) = (Count(TrialStatus.Diverged), Count(TrialStatus.Failed));
                var judged = Count(TrialStatus.Ok) + diverged + failed;
                return new Trainability
                {
                    Family = g.Key.Family, Cell = g.Key.Cell, Trials = g.Count(), Judged = judged, Diverged = diverged, Failed = failed, NeverBeatTrivial = never,
                    Pruned = Count(TrialStatus.Pruned), StoppedTime = Count(TrialStatus.StoppedByTime),
                    UntrainableShare = judged > 0 ? (diverged + failed + never) / (double)judged : 0,
                };
            }).OrderBy(t => t.Cell).ThenBy(t => t.Family).ToList();
    }
}
