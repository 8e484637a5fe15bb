namespace RnnSearch.Shared.Logging;

/// <summary>Names of the properties every RnnSearch log event may carry (JSON file, OTLP), so queries can rely on them.</summary>
public static class LogProperties
{
    public const string NodeRole = "NodeRole";
    public const string NodeAddress = "NodeAddress";
    public const string NodeId = "NodeId";
    public const string StudyId = "StudyId";
    public const string TrialId = "TrialId";
    public const string AttemptId = "AttemptId";
    public const string Slot = "Slot";
    public const string ActorPath = "ActorPath";
}
