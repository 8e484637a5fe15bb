using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;

namespace RnnSearch.Shared.Protocol;

/// <summary>
/// JSON serializer for every <see cref="IProtocolMessage"/>, with a short manifest per type that carries the
/// protocol version ("v2.assign"). An unknown manifest or a malformed payload throws SerializationException:
/// Akka logs it and drops the message, and the node keeps running.
/// </summary>
public sealed class ProtocolSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int SerializerId = 4711;
    public const string Name = "rnnsearch-protocol";

    private static readonly Dictionary<Type, string> Manifests = new()
    {
        [typeof(TrainerHello)] = "hello",
        [typeof(RequestTrial)] = "request",
        [typeof(NoTrialAvailable)] = "none",
        [typeof(AssignTrial)] = "assign",
        [typeof(EpochReport)] = "epoch",
        [typeof(StopTrial)] = "stop",
        [typeof(TrialFinished)] = "finished",
        [typeof(TrialFinishedAck)] = "ack",
        [typeof(HandBackTrial)] = "handback",
        [typeof(StudyComplete)] = "complete",
    };

    private static readonly Dictionary<string, Type> Types = Manifests.ToDictionary(p => Versioned(p.Value), p => p.Key);

    private static readonly JsonSerializerOptions Options = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static IEnumerable<Type> MessageTypes => Manifests.Keys;

    public override int Identifier => SerializerId;

    private static string Versioned(string name) => $"v{ProtocolVersion.Current}.{name}";

    public override string Manifest(object o) =>
        Manifests.TryGetValue(o.GetType(), out var name) ? Versioned(name)
            : throw new SerializationException($"{o.GetType().FullName} is not a protocol message");

    public override byte[] ToBinary(object obj)
    {
        if (!Manifests.ContainsKey(obj.GetType())) throw new SerializationException($"{obj.GetType().FullName} is not a protocol message");
        return JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Options);
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!Types.TryGetValue(manifest, out var type))
            throw new SerializationException($"unknown protocol message manifest '{manifest}' (this node speaks protocol v{ProtocolVersion.Current})");
        try
        {
            return JsonSerializer.Deserialize(bytes, type, Options)
                   ?? throw new SerializationException($"empty payload for manifest '{manifest}'");
        }
        catch (JsonException e)
        {
            throw new SerializationException($"malformed payload for manifest '{manifest}': {e.Message}", e);
        }
    }
}
