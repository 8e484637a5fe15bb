namespace RnnSearch.Shared.Protocol;

/// <summary>How a trial ended; the same words in results, the store, the leaderboard and the API (docs/protocol.md).</summary>
public static class TrialStatus
{
    /// <summary>Ran its course: early stopping or its epoch budget.</summary>
    public const string Ok = "ok";
    /// <summary>NaN/Inf in training or validation; the best epoch before it, if any, is kept.</summary>
    public const string Diverged = "diverged";
    /// <summary>Cut short by the coordinator (shutdown, a person); the trial runs again.</summary>
    public const string Stopped = "stopped";
    /// <summary>Cut short by the wall-time safety net (limits.trial_seconds): shown, kept out of every verdict.</summary>
    public const string StoppedByTime = "stopped-time";
    /// <summary>A tuning draw stopped early by ASHA; never a final seed.</summary>
    public const string Pruned = "pruned";
    /// <summary>Broke (an exception, or out of attempts).</summary>
    public const string Failed = "failed";
}
