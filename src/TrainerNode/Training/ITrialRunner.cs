namespace RnnSearch.TrainerNode.Training;

/// <summary>Runs one trial on the calling thread, reporting every epoch; cancellation ends it as "stopped".</summary>
public interface ITrialRunner
{
    TrialResult Run(TrialConfig config, Action<EpochProgress>? onEpoch, CancellationToken cancellation);
}
