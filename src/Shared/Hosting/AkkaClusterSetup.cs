using System.Security.Cryptography.X509Certificates;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;
using RnnSearch.Shared.Protocol;

namespace RnnSearch.Shared.Hosting;

/// <summary>Remoting, clustering, split-brain resolver and serialization as both node kinds configure them.</summary>
public static class AkkaClusterSetup
{
    public static AkkaConfigurationBuilder WithRnnSearchCluster(this AkkaConfigurationBuilder builder, ClusterSettings settings, string role)
    {
        settings.Validate();
        var remote = new RemoteOptions
        {
            HostName = settings.Hostname,
            Port = settings.Port,
            PublicHostName = settings.PublicHostname ?? settings.Hostname,
            MaxFrameSize = settings.MaxFrameSizeBytes,
            SendBufferSize = settings.MaxFrameSizeBytes * 4,
            ReceiveBufferSize = settings.MaxFrameSizeBytes * 4,
        };
        if (settings.TlsCertificate is not null)
        {
            // Mutual TLS with one cluster certificate: a peer is accepted only when it presents that same certificate
            // (pinned thumbprint), so a self-signed cluster certificate needs no CA and strangers cannot join.
            var certificate = settings.LoadCertificate();
            remote.EnableSsl = true;
            remote.Ssl = new SslOptions
            {
                X509Certificate = certificate,
                SuppressValidation = false,
                RequireMutualAuthentication = true,
                ValidateCertificateHostname = false,
                CustomValidator = Akka.Remote.Transport.DotNetty.CertificateValidation.PinnedCertificate(certificate.Thumbprint),
            };
        }

        return builder
            .WithRemoting(remote)
            .WithClustering(new ClusterOptions
            {
                Roles = [role],
                SeedNodes = settings.SeedNodes.ToArray(),
                // The coordinator is the oldest member; a side without it downs itself, trainers then rejoin.
                SplitBrainResolver = new KeepOldestOption { DownIfAlone = false, Role = ClusterConstants.CoordinatorRole },
                FailureDetector = new Akka.Remote.Hosting.PhiAccrualFailureDetectorOptions
                {
                    HeartbeatInterval = settings.HeartbeatInterval,
                    AcceptableHeartbeatPause = settings.AcceptableHeartbeatPause,
                },
                LogInfo = false,
            })
            .AddHocon($$"""
                akka.cluster.split-brain-resolver.stable-after = {{(int)settings.StableAfter.TotalMilliseconds}}ms
                # Trainers come and go all the time (kills, restarts); never down everyone because membership keeps changing.
                akka.cluster.split-brain-resolver.down-all-when-unstable = off
                akka.cluster.run-coordinated-shutdown-when-down = on
                akka.coordinated-shutdown.exit-clr = off
                akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
                akka.cluster.shutdown-after-unsuccessful-join-seed-nodes = off
                akka.cluster.retry-unsuccessful-join-after = 2s
                akka.remote.dot-netty.tcp.enforce-ip-family = false
                akka.actor.serialize-messages = off
                """, HoconAddMode.Prepend)
            .WithCustomSerializer(ProtocolSerializer.Name, [typeof(IProtocolMessage)], system => new ProtocolSerializer(system))
            .WithStrictSerialization(true);
    }
}
