using RnnSearch.Shared.Common;

namespace RnnSearch.Coordinator.Studies;

/// <summary>
/// The hyper-parameter ranges of a study as dimensions on a unit scale: log scale for learning rate (and for
/// weight decay when its lower end is above 0), linear otherwise; batch sizes as a categorical choice.
/// </summary>
public sealed class SearchSpace(TuningSettings tuning, ResolvedTraining training)
{
    private readonly TuningSettings _tuning = tuning;
    private readonly ResolvedTraining _fixed = training;

    /// <summary>The space of a single-task study.</summary>
    public SearchSpace(StudyDefinition study) : this(study.Tuning, study.TrainingFor(study.Tasks[0])) { }

    public HyperParameters Fixed => new(_fixed.LearningRate, _fixed.Dropout, _fixed.WeightDecay, _fixed.BatchSize);

    /// <summary>The continuous dimensions that are searched, with their unit-scale mapping.</summary>
    public IReadOnlyList<Dimension> Dimensions
    {
        get
        {
            var dims = new List<Dimension>();
            if (_tuning.LearningRate is { } lr) dims.Add(new Dimension("lr", lr.Low, lr.High, Log: lr.Low > 0));
            if (_tuning.Dropout is { } dropout) dims.Add(new Dimension("dropout", dropout.Low, dropout.High, Log: false));
            if (_tuning.WeightDecay is { } wd) dims.Add(new Dimension("weight_decay", wd.Low, wd.High, Log: wd.Low > 0));
            return dims;
        }
    }

    public IReadOnlyList<int> Batches => _tuning.BatchSizes;

    public HyperParameters Random(SeededRandom random)
    {
        var values = Dimensions.Select(d => d.FromUnit(random.NextDouble())).ToArray();
        var batch = Batches.Count > 0 ? Batches[random.Next(Batches.Count)] : _fixed.BatchSize;
        return Compose(values, batch);
    }

    public HyperParameters Compose(double[] values, int batch)
    {
        double Get(string name, double fallback)
        {
            var index = Dimensions.Select((d, i) => (d, i)).FirstOrDefault(p => p.d.Name == name);
            return index.d is null ? fallback : values[index.i];
        }
        return new HyperParameters(Get("lr", _fixed.LearningRate), Get("dropout", _fixed.Dropout), Get("weight_decay", _fixed.WeightDecay), batch);
    }

    public double[] ToUnit(HyperParameters h) => Dimensions.Select(d => d.ToUnit(d.Name switch
    {
        "lr" => h.LearningRate,
        "dropout" => h.Dropout,
        _ => h.WeightDecay,
    })).ToArray();

    public sealed record Dimension(string Name, double Low, double High, bool Log)
    {
        public double FromUnit(double u) => High <= Low ? Low : Log ? Math.Exp(Math.Log(Low) + u * (Math.Log(High) - Math.Log(Low))) : Low + u * (High - Low);

        public double ToUnit(double value) => High <= Low ? 0.5 : Log ? (Math.Log(value) - Math.Log(Low)) / (Math.Log(High) - Math.Log(Low)) : (value - Low) / (High - Low);
    }
}
