using RnnSearch.Shared.Protocol;
using RnnSearch.Shared.Common;

namespace RnnSearch.Coordinator.Studies;

/// <summary>
/// What to run next, decided without actors or I/O so it can be tested alone. Tuning draws come first (each
/// candidate gets the same number), in creation order; once all draws of a candidate are done its best
/// configuration (lowest validation metric) is re-run with every study seed ("final" trials). Without tuning
/// the final trials exist from the start. A trial that used up its attempts is recorded as failed.
/// Every question the coordinator asks per message (a trial by id, the running trials, counts, completion) is
/// answered from indexes and counters kept up to date here, never by scanning all trials: a study can hold
/// hundreds of thousands of trials. Trial states change only through this class.
/// </summary>
public sealed class TrialScheduler
{
    private readonly StudyDefinition _study;
    private readonly Dictionary<string, (SearchSpace Space, TreeParzenEstimator Tpe)> _search = [];
    private readonly Dictionary<long, TrialRecord> _trials;
    private readonly Dictionary<long, List<TrialRecord>> _byCandidate = [];
    private readonly Dictionary<long, Candidate> _candidates;
    private readonly HashSet<long> _withFinalTrials = [];
    private readonly Dictionary<long, TrialRecord> _running = [];
    private readonly LinkedList<long> _pending = new();
    private readonly AshaPolicy _asha;
    private long _nextId;
    private int _done;
    private int _failed;

    public TrialScheduler(StudyDefinition study, IReadOnlyList<Candidate> candidates, IEnumerable<TrialRecord> existing)
    {
        _study = study;
        _asha = new AshaPolicy(study.Fidelity, study.MaxEpochs);
        Candidates = candidates;
        _candidates = candidates.ToDictionary(c => c.Id);
        _trials = existing.ToDictionary(t => t.Id);
        _nextId = _trials.Count == 0 ? 1 : _trials.Keys.Max() + 1;
        foreach (var trial in _trials.Values.OrderBy(t => t.Id))
        {
            Index(trial);
            if (trial.State == TrialState.Running) trial.State = TrialState.Pending; // the coordinator restarted
            if (trial.State == TrialState.Pending) _pending.AddLast(trial.Id);
            if (trial.State == TrialState.Done) CountDone(trial);
            if (trial.Phase == TrialPhase.Tune)
                foreach (var (epoch, metric) in trial.Curve.OrderBy(p => p.Key)) _asha.ShouldStop(trial.CandidateId, epoch, metric);
        }
    }

    public IReadOnlyList<Candidate> Candidates { get; }
    public IReadOnlyCollection<TrialRecord> Trials => _trials.Values;
    public IReadOnlyList<int> AshaRungs => _asha.Rungs;

    public int Total => _trials.Count + PlannedButNotCreated;
    public int Done => _done;
    /// <summary>Trials recorded as failed (they used up their attempts).</summary>
    public int Failed => _failed;
    public int Running => _running.Count;
    public bool IsComplete => PlannedButNotCreated == 0 && _done == _trials.Count;

    /// <summary>The running trials (as many as there are busy slots).</summary>
    public IReadOnlyCollection<TrialRecord> RunningTrials => _running.Values;

    /// <summary>Final trials not created yet because their candidate is still tuning.</summary>
    private int PlannedButNotCreated => _study.Tuning.Search == SearchKind.None ? 0
        : (Candidates.Count - _withFinalTrials.Count) * _study.Seeds.Count;

    public TrialRecord Get(long id) => _trials[id];

    public bool TryGet(long id, out TrialRecord trial) => _trials.TryGetValue(id, out trial!);

    public Candidate Candidate(long id) => _candidates[id];

    /// <summary>The trials a new study starts with (tuning draws, or the final trials when nothing is tuned).</summary>
    public IReadOnlyList<TrialRecord> CreateInitialTrials()
    {
        if (_trials.Count > 0) return [];
        var created = new List<TrialRecord>();
        foreach (var candidate in LongestFirst.Order(Candidates))
        {
            if (_study.Tuning.Search == SearchKind.None)
                created.AddRange(FinalTrials(candidate, Space(candidate).Fixed));
            else
                for (var draw = 0; draw < _study.Tuning.Draws; draw++)
                    created.Add(Add(new TrialRecord { Id = _nextId++, CandidateId = candidate.Id, Phase = TrialPhase.Tune, Index = draw, Seed = _study.Seeds[0] }));
        }
        return created;
    }

    /// <summary>Takes the next pending trial (drawing its hyper-parameters if it is a tuning draw), or null.</summary>
    public TrialRecord? Next(string nodeId, int slot, DateTimeOffset now)
    {
        if (_pending.First is not { } first) return null;
        _pending.RemoveFirst();
        var trial = _trials[first.Value];
        trial.Hyper ??= DrawFor(trial);
        trial.State = TrialState.Running;
        trial.Attempts++;
        trial.NodeId = nodeId;
        trial.Slot = slot;
        trial.AssignedAt = now;
        _running[trial.Id] = trial;
        return trial;
    }

    /// <summary>Puts a running trial back at the front of the queue (its trainer died or left); false when it ran out of attempts.</summary>
    public bool Requeue(long trialId)
    {
        var trial = _trials[trialId];
        if (trial.State != TrialState.Running) return true;
        _running.Remove(trial.Id);
        trial.NodeId = null;
        if (trial.Attempts >= _study.Limits.MaxAttempts) return false;
        trial.State = TrialState.Pending;
        _pending.AddFirst(trial.Id);
        return true;
    }

    /// <summary>Records an epoch of a tuning draw; true when ASHA says the draw should stop.</summary>
    public bool ReportEpoch(long trialId, int epoch, double validMetric)
    {
        var trial = _trials[trialId];
        trial.Curve[epoch] = validMetric;
        if (trial.Phase != TrialPhase.Tune || !_asha.ShouldStop(trial.CandidateId, epoch, validMetric)) return false;
        trial.PrunedAtEpoch = epoch;
        return true;
    }

    /// <summary>The outcome as the study records it: a tuning draw that ASHA stopped ends as "pruned", not "stopped".</summary>
    public TrialOutcome Classify(long trialId, TrialOutcome outcome) =>
        _trials[trialId].PrunedAtEpoch is not null && outcome.Status == TrialStatus.Stopped ? outcome with { Status = TrialStatus.Pruned } : outcome;

    /// <summary>Records the outcome; returns the final trials that became due (the candidate's tuning just ended).</summary>
    public IReadOnlyList<TrialRecord> Complete(long trialId, TrialOutcome outcome)
    {
        var trial = _trials[trialId];
        _running.Remove(trial.Id);
        if (trial.State != TrialState.Done)
        {
            trial.State = TrialState.Done;
            trial.Outcome = outcome;
            CountDone(trial);
        }
        else trial.Outcome = outcome;
        trial.NodeId = null;
        if (trial.Phase != TrialPhase.Tune) return [];
        var draws = _byCandidate[trial.CandidateId].Where(t => t.Phase == TrialPhase.Tune).ToList();
        if (draws.Any(t => t.State != TrialState.Done) || _withFinalTrials.Contains(trial.CandidateId))
            return [];
        var best = draws.Where(t => t.Outcome?.ValidMetric is { } v && double.IsFinite(v)).MinBy(t => t.Outcome!.ValidMetric!.Value);
        return FinalTrials(_candidates[trial.CandidateId], best?.Hyper ?? Space(_candidates[trial.CandidateId]).Fixed);
    }

    /// <summary>Candidates whose tuning ended before a coordinator restart but whose final trials were never created.</summary>
    public IReadOnlyList<TrialRecord> CatchUpFinalTrials()
    {
        var created = new List<TrialRecord>();
        if (_study.Tuning.Search == SearchKind.None) return created;
        foreach (var candidate in Candidates)
        {
            var draws = _byCandidate.GetValueOrDefault(candidate.Id, []).Where(t => t.Phase == TrialPhase.Tune).ToList();
            if (draws.Count == 0 || draws.Any(t => t.State != TrialState.Done) || _withFinalTrials.Contains(candidate.Id)) continue;
            var best = draws.Where(t => t.Outcome?.ValidMetric is { } v && double.IsFinite(v)).MinBy(t => t.Outcome!.ValidMetric!.Value);
            created.AddRange(FinalTrials(candidate, best?.Hyper ?? Space(candidate).Fixed));
        }
        return created;
    }

    private List<TrialRecord> FinalTrials(Candidate candidate, HyperParameters hyper) =>
        _study.Seeds.Select((seed, i) => Add(new TrialRecord { Id = _nextId++, CandidateId = candidate.Id, Phase = TrialPhase.Final, Index = i, Seed = seed, Hyper = hyper })).ToList();

    private TrialRecord Add(TrialRecord trial)
    {
        _trials[trial.Id] = trial;
        Index(trial);
        _pending.AddLast(trial.Id);
        return trial;
    }

    private void Index(TrialRecord trial)
    {
        if (!_byCandidate.TryGetValue(trial.CandidateId, out var list)) _byCandidate[trial.CandidateId] = list = [];
        list.Add(trial);
        if (trial.Phase == TrialPhase.Final) _withFinalTrials.Add(trial.CandidateId);
    }

    private void CountDone(TrialRecord trial)
    {
        _done++;
        if (trial.Outcome?.Status == TrialStatus.Failed) _failed++;
    }

    private HyperParameters DrawFor(TrialRecord trial)
    {
        var random = new SeededRandom(_study.Tuning.SearchSeed * 1_000_003 + trial.CandidateId * 1009 + trial.Index);
        var (space, tpe) = Search(_candidates[trial.CandidateId]);
        if (_study.Tuning.Search == SearchKind.Random) return space.Random(random);
        var observations = _byCandidate[trial.CandidateId]
            .Where(t => t.Phase == TrialPhase.Tune && t.State == TrialState.Done && t.Hyper is not null)
            .Select(t => (t.Hyper!, t.Outcome?.ValidMetric ?? double.PositiveInfinity)).ToList();
        return tpe.Next(observations, random);
    }

    private SearchSpace Space(Candidate candidate) => Search(candidate).Space;

    /// <summary>The search space of a candidate's task (its fixed values come from that task's recipe), and its TPE.</summary>
    private (SearchSpace Space, TreeParzenEstimator Tpe) Search(Candidate candidate)
    {
        if (_search.TryGetValue(candidate.Task, out var known)) return known;
        var space = new SearchSpace(_study.Tuning, _study.TrainingFor(candidate.Task));
        return _search[candidate.Task] = (space, new TreeParzenEstimator(space));
    }
}
