using System.Net;

namespace RnnSearch.Shared.Hosting;

/// <summary>
/// How a node joins the cluster. Defaults are safe for one machine: bind and advertise 127.0.0.1.
/// Timings (see docs/reliability.md): heartbeat every 1 s, a node is unreachable after ~6 s without
/// heartbeats, and the split-brain resolver (keep-oldest, coordinator role) downs it 7 s later.
/// </summary>
public sealed record ClusterSettings
{
    public string Hostname { get; init; } = "127.0.0.1";
    public string? PublicHostname { get; init; }
    public int Port { get; init; }
    public IReadOnlyList<string> SeedNodes { get; init; } = [];
    /// <summary>Allow binding remoting to a non-loopback address without TLS.</summary>
    public bool Insecure { get; init; }
    /// <summary>PKCS#12 certificate for TLS on remoting (every node uses the same one), and its password.</summary>
    public string? TlsCertificate { get; init; }
    public string? TlsPassword { get; init; }
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan AcceptableHeartbeatPause { get; init; } = TimeSpan.FromSeconds(6);
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(7);
    public long MaxFrameSizeBytes { get; init; } = 256_000;

    /// <summary>Throws an <see cref="ArgumentException"/> with one clear line when the settings cannot work.</summary>
    /// <summary>The address scheme of this cluster's nodes: akka.ssl.tcp with TLS, akka.tcp without.</summary>
    public string Scheme => TlsCertificate is null ? "akka.tcp" : "akka.ssl.tcp";

    public void Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"--port {Port}: must be from 0 to 65535");
        if (string.IsNullOrWhiteSpace(Hostname)) throw new ArgumentException("--hostname is empty");
        foreach (var seed in SeedNodes)
        {
            if (!Uri.TryCreate(seed, UriKind.Absolute, out var uri) || uri.Scheme is not ("akka.tcp" or "akka.ssl.tcp") || uri.UserInfo != ClusterConstants.SystemName || uri.Port <= 0)
                throw new ArgumentException($"--seed-nodes {seed}: expected akka.tcp://{ClusterConstants.SystemName}@HOST:PORT");
        }
        if (!IsLoopback(Hostname) && TlsCertificate is null && !Insecure)
            throw new ArgumentException($"--hostname {Hostname} is not a loopback address: configure TLS (--tls-certificate) or pass --insecure to accept unencrypted, unauthenticated remoting");
        if (TlsCertificate is not null && !File.Exists(TlsCertificate))
            throw new ArgumentException($"--tls-certificate {TlsCertificate}: file not found");
        if (TlsCertificate is not null) LoadCertificate().Dispose();
    }

    /// <summary>The cluster certificate with its private key, or a one-line error naming the problem (never the password).</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2 LoadCertificate()
    {
        System.Security.Cryptography.X509Certificates.X509Certificate2 certificate;
        try
        {
            certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(TlsCertificate!, TlsPassword);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new ArgumentException($"--tls-certificate {TlsCertificate}: cannot be read ({e.Message.Trim()}); expected a PKCS#12 file with its private key and the right --tls-password");
        }
        if (!certificate.HasPrivateKey) throw new ArgumentException($"--tls-certificate {TlsCertificate}: has no private key");
        return certificate;
    }

    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
