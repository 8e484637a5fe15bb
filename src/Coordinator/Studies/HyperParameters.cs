namespace RnnSearch.Coordinator.Studies;

/// <summary>The tuned (or fixed) hyper-parameters of one trial.</summary>
public sealed record HyperParameters(double LearningRate, double Dropout, double WeightDecay, int BatchSize);
