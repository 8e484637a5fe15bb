using System.Runtime.Serialization;
using Akka.Actor;
using RnnSearch.Shared.Protocol;

namespace RnnSearch.Coordinator.Tests;

public class ProtocolSerializerTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("serializer-test");
    private ProtocolSerializer Serializer => new((ExtendedActorSystem)_system);

    public static TheoryData<IProtocolMessage> Messages => new()
    {
        new TrainerHello("n1/1", 2, "cpu", 1, ProtocolVersion.Current, [new RunningTrial(3, 4, 1)]),
        new RequestTrial("n1/1", 1),
        new NoTrialAvailable(1, 500, false),
        new AssignTrial(7, 9, "quick-abc", 0, "LSTM:hidden=69", "jsb", null, 30, 0.006, 0, 8, null, 1, 5, 40, null, 2, "/tmp/c", "00-abc-def-01", "baseline", true),
        new EpochReport(7, 9, "n1/1", 3, 9.5, 9.1, 1.5, 9000, 9.0),
        new StopTrial(7, 9, "asha"),
        new TrialFinished(7, 9, "n1/1", 0, "ok", 30, 28, 50044, 8.6, 8.7, 12.5, "cpu", 0, null, [new EpochRecordMessage(1, 30, 12, 0.5, 25000)], 10.98, null),
        new TrialFinishedAck(7, 9),
        new HandBackTrial(7, 9, "n1/1", "leaving"),
        new StudyComplete("quick-abc", true),
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_protocol_message_round_trips_with_a_versioned_manifest(IProtocolMessage message)
    {
        var bytes = Serializer.ToBinary(message);
        var manifest = Serializer.Manifest(message);
        Assert.StartsWith($"v{ProtocolVersion.Current}.", manifest);
        var back = Serializer.FromBinary(bytes, manifest);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(message, message.GetType()), System.Text.Json.JsonSerializer.Serialize(back, back.GetType()));
    }

    [Fact]
    public void Every_message_type_has_a_manifest()
    {
        var types = typeof(IProtocolMessage).Assembly.GetTypes().Where(t => typeof(IProtocolMessage).IsAssignableFrom(t) && t.IsClass).ToHashSet();
        Assert.Equal(types.OrderBy(t => t.Name), ProtocolSerializer.MessageTypes.OrderBy(t => t.Name));
    }

    [Fact]
    public void Unknown_manifests_and_malformed_payloads_raise_serialization_errors()
    {
        Assert.Contains("unknown protocol message manifest 'v99.assign'", Assert.Throws<SerializationException>(() => Serializer.FromBinary([1, 2], "v99.assign")).Message);
        Assert.Contains("malformed payload", Assert.Throws<SerializationException>(() => Serializer.FromBinary("{not json"u8.ToArray(), $"v{ProtocolVersion.Current}.request")).Message);
        Assert.Throws<SerializationException>(() => Serializer.ToBinary("a string"));
    }

    public void Dispose() => _system.Terminate().Wait();
}
