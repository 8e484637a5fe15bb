using System.CommandLine;
using Microsoft.Extensions.Logging;
using RnnSearch.Shared.Hosting;
using RnnSearch.TrainerNode.Actors;
using RnnSearch.TrainerNode.Hosting;
using RnnSearch.TrainerNode.Tasks;
using RnnSearch.Shared.Tasks;
using RnnSearch.Shared.Logging;
using RnnSearch.Shared.Telemetry;
using RnnSearch.TrainerNode.Training;

namespace RnnSearch.TrainerNode.Cli;

/// <summary>The trainer node itself (the root command): join the cluster and train what the coordinator assigns.</summary>
internal static class NodeCommand
{
    public static void Configure(RootCommand root, Action<ILoggingBuilder> configureLogging)
    {
        var seeds = new Option<string[]>("--seed-nodes") { Description = "coordinator address(es), e.g. akka.tcp://rnnsearch@127.0.0.1:4053", AllowMultipleArgumentsPerToken = true };
        var slots = new Option<int>("--slots") { Description = "trials trained at once on this node", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "torch threads of this process (default: cores / slots)" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };
        var hostname = new Option<string>("--hostname") { Description = "address to bind remoting to", DefaultValueFactory = _ => "127.0.0.1" };
        var publicHostname = new Option<string?>("--public-hostname") { Description = "address other nodes reach this one at (default: --hostname)" };
        var port = new Option<int>("--port") { Description = "remoting port (0 = any free port)", DefaultValueFactory = _ => 0 };
        var dataDir = new Option<string?>("--data-dir") { Description = "benchmark data folder (default: RNNSEARCH_DATA, else the repository's data/)" };
        var nodeId = new Option<string?>("--node-id") { Description = "name of this node in logs and the leaderboard (default: host-pid)" };
        var exitWhenDone = new Option<bool>("--exit-when-done") { Description = "exit when the coordinator reports the study complete" };
        var insecure = new Option<bool>("--insecure") { Description = "allow unencrypted remoting on a non-loopback address" };
        var tlsCertificate = new Option<string?>("--tls-certificate") { Description = "PKCS#12 certificate for TLS remoting (same on every node)" };
        var tlsPassword = new Option<string?>("--tls-password") { Description = "password of the certificate (or RNNSEARCH_TLS_PASSWORD)" };
        var noopTrainer = new Option<int?>("--noop-trainer-for-benchmarks") { Description = "FAKE trainer for orchestrator benchmarks and fault tests: train nothing, answer each trial after N ms" };
        var logLevel = new Option<string?>("--log-level") { Description = "minimum log level: trace, debug, information, warning, error (default: appsettings.json / Serilog__MinimumLevel__Default, else information)" };
        var logDir = new Option<string?>("--log-dir") { Description = "folder of this node's JSON log, trainer-<node id>.log.json (default: ./logs)" };
        var metricsPort = new Option<int>("--metrics-port") { Description = "Prometheus /metrics port (0 = off)", DefaultValueFactory = _ => TelemetrySettings.DefaultTrainerMetricsPort };
        var metricsHost = new Option<string>("--metrics-host") { Description = "address of the /metrics endpoint (* for every interface)", DefaultValueFactory = _ => "127.0.0.1" };
        var libtorch = LibTorchOption.Create();
        foreach (var option in new Option[] { seeds, slots, threads, device, hostname, publicHostname, port, dataDir, nodeId, exitWhenDone, insecure, tlsCertificate, tlsPassword, noopTrainer, logLevel, logDir, metricsPort, metricsHost, libtorch })
            root.Options.Add(option);

        root.SetAction(async (result, cancellation) =>
        {
            var seedNodes = result.GetValue(seeds) ?? [];
            if (seedNodes.Length == 0) throw new ArgumentException("--seed-nodes is required to run a trainer node (or use the 'train' command for one trial)");
            var slotCount = result.GetValue(slots);
            if (slotCount < 1) throw new ArgumentException($"--slots {slotCount}: must be >= 1");
            var threadCount = result.GetValue(threads) ?? Math.Max(1, Environment.ProcessorCount / slotCount);
            TorchBackend.Initialize(result.GetValue(libtorch));
            TorchRuntime.SetThreads(threadCount);
            var deviceName = TorchRuntime.CheckDevice(result.GetValue(device)!).Name; // canonical: cpu or cuda:N
            var cluster = new ClusterSettings
            {
                Hostname = result.GetValue(hostname)!, PublicHostname = result.GetValue(publicHostname), Port = result.GetValue(port),
                SeedNodes = seedNodes, Insecure = result.GetValue(insecure), TlsCertificate = result.GetValue(tlsCertificate),
                TlsPassword = result.GetValue(tlsPassword) ?? Environment.GetEnvironmentVariable("RNNSEARCH_TLS_PASSWORD"),
            };
            cluster.Validate();
            var options = new TrainerNodeOptions
            {
                NodeId = result.GetValue(nodeId) ?? $"{Environment.MachineName}-{Environment.ProcessId}",
                Slots = slotCount, Threads = threadCount, Device = deviceName,
                DataDirectory = DataDirectory.Resolve(result.GetValue(dataDir)), ExitWhenDone = result.GetValue(exitWhenDone),
                NoOpTrainerForBenchmarks = result.GetValue(noopTrainer) is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            };
            var observabilityOptions = new ObservabilityOptions
            {
                LogLevel = result.GetValue(logLevel) is { } level ? LoggingSettings.NormalizeLevel(level) : null, LogDirectory = result.GetValue(logDir),
                MetricsPort = result.GetValue(metricsPort), MetricsHost = result.GetValue(metricsHost)!,
            };
            using var observability = TrainerObservability.Start(options, observabilityOptions);
            return await TrainerNodeHost.RunAsync(cluster, options, configureLogging, cancellation);
        });
    }
}
