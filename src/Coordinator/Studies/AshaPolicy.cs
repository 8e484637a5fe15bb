namespace RnnSearch.Coordinator.Studies;

/// <summary>
/// Asynchronous successive halving (Li et al. 2020), in its stopping form: rungs at min_epochs·η^k epochs.
/// When a tuning draw reaches a rung, it continues only if its validation metric is within the best 1/η of all
/// draws of the same candidate that reached that rung so far; decisions are taken once at least η draws are
/// there (earlier ones continue). Every candidate gets the same rungs, so the tuning budget stays equal.
/// </summary>
public sealed class AshaPolicy(FidelitySettings fidelity, int maxEpochs)
{
    private readonly Dictionary<(long Candidate, int Rung), List<double>> _rungs = [];

    public List<int> Rungs { get; } = BuildRungs(fidelity, maxEpochs);

    public AshaPolicy(FidelitySettings fidelity) : this(fidelity, fidelity.MaxEpochs ?? throw new ArgumentException("fidelity.max_epochs is needed without a study")) { }

    private static List<int> BuildRungs(FidelitySettings f, int maxEpochs)
    {
        var rungs = new List<int>();
        if (!f.Asha) return rungs;
        for (double r = f.MinEpochs; r < maxEpochs; r *= f.ReductionFactor) rungs.Add((int)Math.Round(r));
        return rungs;
    }

    /// <summary>Records the metric of a draw at an epoch; true when the draw should stop here.</summary>
    public bool ShouldStop(long candidate, int epoch, double validMetric)
    {
        var rung = Rungs.IndexOf(epoch);
        if (rung < 0) return false;
        if (!_rungs.TryGetValue((candidate, rung), out var values)) _rungs[(candidate, rung)] = values = [];
        var metric = double.IsFinite(validMetric) ? validMetric : double.PositiveInfinity;
        values.Add(metric);
        if (values.Count < fidelity.ReductionFactor) return false;
        var keep = (int)Math.Ceiling(values.Count / (double)fidelity.ReductionFactor);
        var cutoff = values.Order().ElementAt(keep - 1);
        return metric > cutoff;
    }
}
