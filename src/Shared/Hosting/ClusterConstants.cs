namespace RnnSearch.Shared.Hosting;

/// <summary>Names every node agrees on: the actor system, the roles, the coordinator singleton.</summary>
public static class ClusterConstants
{
    public const string SystemName = "rnnsearch";
    public const string CoordinatorRole = "coordinator";
    public const string TrainerRole = "trainer";
    public const string StudySingletonName = "study-coordinator";
    public const int DefaultCoordinatorPort = 4053;
}

/// <summary>Registry key of the study coordinator (the singleton on the coordinator, its proxy on trainers).</summary>
public sealed class StudyCoordinatorKey;
