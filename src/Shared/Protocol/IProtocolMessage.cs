namespace RnnSearch.Shared.Protocol;

/// <summary>
/// Marker of every message that crosses nodes. All of them are serialized by <see cref="ProtocolSerializer"/>
/// (JSON with a short versioned manifest); strict serialization makes anything else fail loudly.
/// </summary>
public interface IProtocolMessage;

public static class ProtocolVersion
{
    /// <summary>Bumped on any incompatible change of a message; nodes of other versions are refused at hello.</summary>
    public const int Current = 2; // 2: AssignTrial.LrPatience
}
