namespace RnnSearch.TrainerNode.Training;

/// <summary>What a trial reports after each epoch; the trainer node forwards it to the coordinator (ASHA reads it).</summary>
public sealed record EpochProgress(int Epoch, double TrainLoss, double ValidMetric, double Seconds, double SamplesPerSecond, double BestValid, int BestEpoch);
