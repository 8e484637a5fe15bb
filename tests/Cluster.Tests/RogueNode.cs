using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using RnnSearch.Shared.Protocol;

namespace RnnSearch.Cluster.Tests;

/// <summary>Raw bytes under a chosen manifest, sent with the protocol serializer's identifier: what a buggy or hostile peer could send.</summary>
public sealed record RogueMessage(string Manifest, byte[] Payload);

public sealed class RogueSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public override int Identifier => ProtocolSerializer.SerializerId;
    public override string Manifest(object o) => ((RogueMessage)o).Manifest;
    public override byte[] ToBinary(object obj) => ((RogueMessage)obj).Payload;
    public override object FromBinary(byte[] bytes, string manifest) => new RogueMessage(manifest, bytes);
}

/// <summary>
/// A plain remoting actor system (not a cluster member) in the test process: it can address the coordinator and
/// trainers by path and send them malformed, unknown, oversized or unauthorised messages.
/// </summary>
internal sealed class RogueNode : IDisposable
{
    public ActorSystem System { get; }

    public RogueNode()
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0, maximum-frame-size = 4000000b, send-buffer-size = 16000000b, receive-buffer-size = 16000000b }
            akka.actor.serializers.rogue = "{{typeof(RogueSerializer).AssemblyQualifiedName}}"
            akka.actor.serialization-bindings { "{{typeof(RogueMessage).AssemblyQualifiedName}}" = rogue }
            akka.actor.serialization-identifiers { "{{typeof(RogueSerializer).AssemblyQualifiedName}}" = {{ProtocolSerializer.SerializerId}} }
            akka.loglevel = WARNING
            """);
        System = ActorSystem.Create("rnnsearch", config);
    }

    public void Send(string path, RogueMessage message) => System.ActorSelection(path).Tell(message, ActorRefs.NoSender);

    public void Dispose() => System.Terminate().Wait(TimeSpan.FromSeconds(10));
}
