using RnnSearch.Shared.Protocol;
using RnnSearch.Shared.Common;

namespace RnnSearch.Coordinator.Studies;

/// <summary>
/// What to run next, decided without actors or I/O so it can be tested alone. Tuning draws come first (each
/// candidate gets the same number, all with the tuning seed), queued round by round: draw 0 of every candidate
/// (slowest first), then draw 1, …, so a candidate's later draws start after its earlier ones could report. A TPE
/// draw k is suggested from the results of draws 0..k-parallel of its candidate only, the draws in between counted
/// as bad (constant liar), and waits in the queue until those results exist: what is drawn depends on the study file
/// alone, never on how many trainers there are or in which order they finish. Once all draws of a candidate are
/// done its selected configuration (<see cref="DrawSelection"/>) is re-run with every study seed ("final" trials).
/// Without tuning the final trials exist from the start. A trial that used up its attempts is recorded as failed.
/// Every question the coordinator asks per message (a trial by id, the running trials, counts, completion) is
/// answered from indexes and counters kept up to date here, never by scanning all trials: a study can hold
/// hundreds of thousands of trials. Trial states change only through this class.
/// </summary>
public sealed class TrialScheduler
{
    private readonly StudyDefinition _study;
    private readonly Dictionary<string, (SearchSpace Space, TreeParzenEstimator Tpe)> _search = [];
    private readonly Dictionary<long, TrialRecord> _trials;
    /// <summary>Tuning draws per candidate, ordered by draw index, and how many leading ones are done.</summary>
    private readonly Dictionary<long, List<TrialRecord>> _draws = [];
    private readonly Dictionary<long, int> _drawsDone = [];
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
        var order = LongestFirst.Order(Candidates).ToList();
        if (_study.Tuning.Search == SearchKind.None)
            foreach (var candidate in order) created.AddRange(FinalTrials(candidate, Space(candidate).Fixed, selection: null));
        else
            for (var draw = 0; draw < _study.Tuning.Draws; draw++)
                foreach (var candidate in order)
                    created.Add(Add(new TrialRecord { Id = _nextId++, CandidateId = candidate.Id, Phase = TrialPhase.Tune, Index = draw, Seed = _study.Tuning.Seed }));
        return created;
    }

    /// <summary>
    /// Takes the first pending trial that can start (drawing its hyper-parameters if it is a tuning draw), or null
    /// when there is none or every pending one is a TPE draw waiting for the results it is suggested from. The
    /// waiting draws skipped here are few: each waits on a running draw of its candidate, within parallel draws.
    /// </summary>
    public TrialRecord? Next(string nodeId, int slot, DateTimeOffset now)
    {
        var node = _pending.First;
        while (node is not null && !CanStart(_trials[node.Value])) node = node.Next;
        if (node is null) return null;
        _pending.Remove(node);
        var trial = _trials[node.Value];
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
        var draws = _draws[trial.CandidateId];
        if (draws.Any(t => t.State != TrialState.Done) || _withFinalTrials.Contains(trial.CandidateId))
            return [];
        return FinalTrials(_candidates[trial.CandidateId], draws);
    }

    /// <summary>Candidates whose tuning ended before a coordinator restart but whose final trials were never created.</summary>
    public IReadOnlyList<TrialRecord> CatchUpFinalTrials()
    {
        var created = new List<TrialRecord>();
        if (_study.Tuning.Search == SearchKind.None) return created;
        foreach (var candidate in Candidates)
        {
            var draws = _draws.GetValueOrDefault(candidate.Id, []);
            if (draws.Count == 0 || draws.Any(t => t.State != TrialState.Done) || _withFinalTrials.Contains(candidate.Id)) continue;
            created.AddRange(FinalTrials(candidate, draws));
        }
        return created;
    }

    private List<TrialRecord> FinalTrials(Candidate candidate, IReadOnlyList<TrialRecord> draws)
    {
        var selection = DrawSelection.For(draws, Space(candidate).Fixed);
        return FinalTrials(candidate, selection.Hyper, selection);
    }

    private List<TrialRecord> FinalTrials(Candidate candidate, HyperParameters hyper, DrawSelection? selection) =>
        _study.Seeds.Select((seed, i) => Add(new TrialRecord
        {
            Id = _nextId++, CandidateId = candidate.Id, Phase = TrialPhase.Final, Index = i, Seed = seed, Hyper = hyper, Selection = selection,
        })).ToList();

    private TrialRecord Add(TrialRecord trial)
    {
        _trials[trial.Id] = trial;
        Index(trial);
        _pending.AddLast(trial.Id);
        return trial;
    }

    private void Index(TrialRecord trial)
    {
        if (trial.Phase == TrialPhase.Final) _withFinalTrials.Add(trial.CandidateId);
        if (trial.Phase != TrialPhase.Tune) return;
        if (!_draws.TryGetValue(trial.CandidateId, out var draws)) _draws[trial.CandidateId] = draws = [];
        var at = draws.FindLastIndex(d => d.Index < trial.Index) + 1;
        draws.Insert(at, trial);
    }

    /// <summary>False for a TPE draw whose suggestion needs results that are not in yet (draws 0..k-parallel).</summary>
    private bool CanStart(TrialRecord trial) =>
        trial.Phase != TrialPhase.Tune || trial.Hyper is not null || _study.Tuning.Search != SearchKind.Tpe
        || trial.Index - _study.Tuning.Parallel < DrawsDone(trial.CandidateId);

    /// <summary>How many of a candidate's draws, from draw 0 on without a gap, are done (a done draw stays done).</summary>
    private int DrawsDone(long candidateId)
    {
        var draws = _draws[candidateId];
        var done = _drawsDone.GetValueOrDefault(candidateId);
        while (done < draws.Count && draws[done].State == TrialState.Done) done++;
        return _drawsDone[candidateId] = done;
    }

    private void CountDone(TrialRecord trial)
    {
        _done++;
        if (trial.Outcome?.Status == TrialStatus.Failed) _failed++;
    }

    /// <summary>
    /// The hyper-parameters of a draw: a function of the search seed, the candidate, the draw index and (for TPE) the
    /// results of draws 0..k-parallel, in index order. Draws k-parallel+1..k-1 enter with their (equally determined)
    /// hyper-parameters and a metric of +∞, whether or not they have finished: TPE counts them as bad, which keeps
    /// concurrent draws apart.
    /// </summary>
    private HyperParameters DrawFor(TrialRecord trial)
    {
        var random = new SeededRandom(_study.Tuning.SearchSeed * 1_000_003 + trial.CandidateId * 1009 + trial.Index);
        var (space, tpe) = Search(_candidates[trial.CandidateId]);
        if (_study.Tuning.Search == SearchKind.Random) return space.Random(random);
        var lastKnown = trial.Index - _study.Tuning.Parallel;
        var observations = new List<(HyperParameters, double)>();
        foreach (var draw in _draws[trial.CandidateId].Where(d => d.Index < trial.Index))
        {
            draw.Hyper ??= DrawFor(draw);
            observations.Add((draw.Hyper, draw.Index <= lastKnown ? Observed(draw) : double.PositiveInfinity));
        }
        return tpe.Next(observations, random);
    }

    /// <summary>What TPE learns from a finished draw: its metric (at its stop if pruned or cut by time), +∞ if it diverged or failed.</summary>
    private static double Observed(TrialRecord draw)
    {
        if (draw.State != TrialState.Done) throw new InvalidOperationException($"draw {draw.Index} of candidate {draw.CandidateId} is used before it is done");
        return draw.Outcome is { Status: TrialStatus.Ok or TrialStatus.Pruned or TrialStatus.StoppedByTime, ValidMetric: { } v } && double.IsFinite(v) ? v : double.PositiveInfinity;
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
