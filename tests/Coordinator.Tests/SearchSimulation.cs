using RnnSearch.Coordinator.Studies;
using RnnSearch.Shared.Common;

namespace RnnSearch.Coordinator.Tests;

/// <summary>
/// Runs a study through <see cref="TrialScheduler"/> the way trainer slots would, without actors: every trial takes a
/// made-up time (drawn from the order seed, so two order seeds finish the same trials in different orders) and its
/// result comes from a function of its hyper-parameters.
/// </summary>
internal static class SearchSimulation
{
    public sealed record Run(
        IReadOnlyDictionary<(long Candidate, int Draw), HyperParameters> Draws, IReadOnlyDictionary<long, DrawSelection> Selections,
        IReadOnlyList<long> CompletionOrder, int MostRunningDrawsOfOneCandidate);

    public static Run Simulate(StudyDefinition study, int slots, long orderSeed, Func<TrialRecord, TrialOutcome> result)
    {
        var scheduler = new TrialScheduler(study, CandidateGenerator.Expand(study).Candidates, []);
        scheduler.CreateInitialTrials();
        var random = new SeededRandom(orderSeed);
        var running = new List<(double End, TrialRecord Trial)>();
        var selections = new Dictionary<long, DrawSelection>();
        var completed = new List<long>();
        var mostOfOne = 0;
        var now = 0.0;
        while (!scheduler.IsComplete)
        {
            while (running.Count < slots && scheduler.Next("sim", running.Count, DateTimeOffset.UnixEpoch) is { } trial)
            {
                var u = random.NextDouble();
                running.Add((now + 0.1 + 10 * u * u, trial));
            }
            if (running.Count == 0) throw new InvalidOperationException("nothing runs and nothing can start");
            mostOfOne = Math.Max(mostOfOne, running.Where(r => r.Trial.Phase == TrialPhase.Tune).GroupBy(r => r.Trial.CandidateId).Select(g => g.Count()).DefaultIfEmpty(0).Max());
            var first = running.MinBy(r => r.End);
            running.Remove(first);
            now = first.End;
            completed.Add(first.Trial.Id);
            foreach (var final in scheduler.Complete(first.Trial.Id, result(first.Trial))) selections[final.CandidateId] = final.Selection!;
        }
        var draws = scheduler.Trials.Where(t => t.Phase == TrialPhase.Tune).ToDictionary(t => (t.CandidateId, t.Index), t => t.Hyper!);
        return new Run(draws, selections, completed, mostOfOne);
    }

    public static TrialOutcome Outcome(double valid, string status = "ok") => new(status, valid, valid + 0.1, 2, 2, 1000, 1, "cpu", "sim", 11, null);
}
