using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RnnSearch.Coordinator.Studies;

namespace RnnSearch.Cluster.Tests;

/// <summary>TLS on remoting with a certificate made by the test; a node without it cannot take part.</summary>
public class SecurityTests
{
    private const string Study = """
        name = "tls"
        tasks = ["jsb"]
        specs = ["LSTM:hidden=8", "GRU:hidden=8"]
        seeds = [1, 2]
        [training]
        max_batches_per_epoch = 3
        [fidelity]
        max_epochs = 2
        """;

    private static string MakeCertificate(string directory, string password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=rnnsearch-test-cluster", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var path = Path.Combine(directory, "cluster.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    [Fact]
    public void A_study_runs_over_mutual_tls_and_a_node_without_the_certificate_gets_no_work()
    {
        using var cluster = new TestCluster(Study);
        const string password = "s3cret-for-test-only";
        var certificate = MakeCertificate(cluster.Directory, password);
        Environment.SetEnvironmentVariable("RNNSEARCH_TLS_PASSWORD", password);
        try
        {
            var coordinator = cluster.StartCoordinator("--tls-certificate", certificate);
            // A stranger: plain TCP to the TLS port (and the wrong scheme) never joins.
            var stranger = cluster.StartTrainer("stranger");
            Thread.Sleep(8000);
            Assert.DoesNotContain(cluster.Trials(), t => t.State != TrialState.Pending);
            stranger.Dispose();

            cluster.StartTrainerWithSeed("trusted", cluster.SeedNode.Replace("akka.tcp://", "akka.ssl.tcp://"), "--tls-certificate", certificate);
            Assert.True(coordinator.WaitForExit(TimeSpan.FromMinutes(3)), "study over TLS did not complete\n" + cluster.Logs());
            Assert.Equal(0, coordinator.ExitCode);
            Assert.Equal(4, cluster.Trials().Count(t => t.State == TrialState.Done));
            Assert.Contains("akka.ssl.tcp://rnnsearch@127.0.0.1", coordinator.Output);
            Assert.DoesNotContain(password, cluster.Logs());
            foreach (var log in Directory.EnumerateFiles(cluster.Directory, "*.json", SearchOption.AllDirectories))
                Assert.DoesNotContain(password, File.ReadAllText(log));
            cluster.AssertNoProcessLeft();
        }
        finally
        {
            Environment.SetEnvironmentVariable("RNNSEARCH_TLS_PASSWORD", null);
        }
    }

    [Fact]
    public void A_wrong_certificate_password_is_one_clear_error()
    {
        using var cluster = new TestCluster(Study);
        var certificate = MakeCertificate(cluster.Directory, "right");
        var result = CliRun.Run(Programs.Coordinator, TimeSpan.FromSeconds(60), "run", cluster.StudyFile, "--db", cluster.StorePath, "--port", cluster.Port.ToString(),
            "--http", "off", "--tls-certificate", certificate, "--tls-password", "wrong");
        Assert.Equal(2, result.Code);
        Assert.StartsWith("error: --tls-certificate", result.Err.Trim());
        Assert.DoesNotContain("wrong", result.Err.Replace("--tls-password", ""));
    }
}
