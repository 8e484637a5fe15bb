using System.Globalization;
using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Measures;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Coordinator.Studies;

/// <summary>
/// What a study will cost before it starts: the number of trials and an upper bound of the training FLOPs
/// (every trial running all its epochs: forward+backward ≈ 3 × forward FLOPs per step × steps per epoch × epochs,
/// plus two evaluation passes per epoch on splits about a third of the training size). ASHA and early stopping
/// only make it cheaper.
/// </summary>
public sealed record StudyPlan(int Candidates, int TuningTrials, int FinalTrials, double TeraFlops, IReadOnlyList<string> Skipped)
{
    public int Trials => TuningTrials + FinalTrials;

    public static StudyPlan For(StudyDefinition study, CandidateGenerator.Expansion expansion)
    {
        var draws = study.Tuning.Search == SearchKind.None ? 0 : study.Tuning.Draws;
        double flops = 0;
        foreach (var candidate in expansion.Candidates)
        {
            var task = TaskCatalog.Get(candidate.Task);
            var perStep = FlopCounter.PerStep(ArchSpecParser.Parse(candidate.Spec), task.Shape);
            var training = study.TrainingFor(candidate.Task);
            var steps = task.StepsPerEpoch(training.Length);
            if (training.MaxBatchesPerEpoch is { } batches) steps = Math.Min(steps, (long)batches * training.BatchSize * (training.Bptt ?? 200));
            var perEpoch = perStep * (3.0 * steps + 2.0 * steps / 3);
            flops += perEpoch * training.MaxEpochs * (draws + study.Seeds.Count);
        }
        return new StudyPlan(expansion.Candidates.Count, draws * expansion.Candidates.Count, study.Seeds.Count * expansion.Candidates.Count, flops / 1e12, expansion.Skipped);
    }

    public string Describe(StudyDefinition study)
    {
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            $"Study {study.Name} ({study.Id}): {study.Description}",
            $"  {Candidates} candidates × ({(TuningTrials > 0 ? $"{study.Tuning.Draws} {study.Tuning.Search.ToString().ToLowerInvariant()} tuning draws + " : "")}{study.Seeds.Count} seeds) = {Trials} trials, at most {study.MaxEpochs} epochs each",
            $"  estimated cost: at most {TeraFlops.ToString("N1", c)} TFLOP (≈ {(TeraFlops * 1e12 / 2e9 / 3600).ToString("N1", c)} core-hours at 2 GFLOP/s per core, the rate of small recurrent kernels on these CPUs)",
        };
        if (Skipped.Count > 0) lines.Add($"  skipped: {string.Join("; ", Skipped)}");
        return string.Join(Environment.NewLine, lines);
    }
}
