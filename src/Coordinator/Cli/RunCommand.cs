using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RnnSearch.Coordinator.Actors;
using RnnSearch.Coordinator.Cluster;
using RnnSearch.Coordinator.Hosting;
using RnnSearch.Coordinator.Leaderboard;
using RnnSearch.Coordinator.Store;
using RnnSearch.Coordinator.Studies;
using RnnSearch.Shared.Hosting;
using RnnSearch.Shared.Logging;
using RnnSearch.Shared.Tasks;
using RnnSearch.Shared.Telemetry;
using Spectre.Console;

namespace RnnSearch.Coordinator.Cli;

/// <summary>
/// <c>run STUDY|PRESET</c>: plans the study, opens (or resumes) it in the store, starts the coordinator node and,
/// with --local-trainers N, N trainer processes on loopback; shows progress; prints the leaderboard and verdict.
/// </summary>
public static class RunCommand
{
    public static Command Create()
    {
        var study = new Argument<string>("study") { Description = $"a study file (.toml) or a preset: {string.Join(", ", StudyFile.PresetNames)}" };
        var db = new Option<string>("--db") { Description = "SQLite store", DefaultValueFactory = _ => StudyStore.DefaultPath };
        var port = new Option<int>("--port") { Description = "coordinator remoting port", DefaultValueFactory = _ => ClusterConstants.DefaultCoordinatorPort };
        var hostname = new Option<string>("--hostname") { Description = "address to bind remoting to", DefaultValueFactory = _ => "127.0.0.1" };
        var publicHostname = new Option<string?>("--public-hostname") { Description = "address trainers reach the coordinator at (default: --hostname)" };
        var localTrainers = new Option<int>("--local-trainers") { Description = "start N trainer node processes on this machine (single-node mode)" };
        var trainerSlots = new Option<int>("--trainer-slots") { Description = "slots of each local trainer", DefaultValueFactory = _ => 1 };
        var trainerThreads = new Option<int?>("--trainer-threads") { Description = "torch threads of each local trainer (default: cores / trainers)" };
        var trainerCommand = new Option<string?>("--trainer-command") { Description = "trainer node program (default: the TrainerNode built beside the coordinator)" };
        var dataDir = new Option<string?>("--data-dir") { Description = "benchmark data folder for local trainers (default: RNNSEARCH_DATA, else the repository's data/)" };
        var checkpointDir = new Option<string?>("--checkpoint-dir") { Description = "trial checkpoints (shared by trainers for resume; default: beside the store)" };
        var http = new Option<string>("--http") { Description = "address of the web UI and JSON API, host:port (\"off\" for none)", DefaultValueFactory = _ => "127.0.0.1:5080" };
        var httpToken = new Option<string?>("--http-token") { Description = $"require this bearer token for the web UI and API (or {Web.HttpToken.EnvironmentVariable})" };
        var json = new Option<bool>("--json") { Description = "print the final leaderboard as JSON" };
        var dryRun = new Option<bool>("--dry-run") { Description = "print the plan (trials, cost) and exit" };
        var verbose = new Option<bool>("--verbose") { Description = "log every assignment and result to the console" };
        var insecure = new Option<bool>("--insecure") { Description = "allow unencrypted remoting on a non-loopback address" };
        var tlsCertificate = new Option<string?>("--tls-certificate") { Description = "PKCS#12 certificate for TLS remoting (same on every node)" };
        var tlsPassword = new Option<string?>("--tls-password") { Description = "password of the certificate (or RNNSEARCH_TLS_PASSWORD)" };
        var logLevel = new Option<string?>("--log-level") { Description = "minimum log level: trace, debug, information, warning, error (default: appsettings.json / Serilog__MinimumLevel__Default, else information)" };
        var logDir = new Option<string?>("--log-dir") { Description = "folder of coordinator.log.json and the local trainers' logs (default: <store folder>/<study id>)" };
        var metricsPort = new Option<int>("--metrics-port") { Description = "Prometheus /metrics port (0 = off); local trainers get the next ports", DefaultValueFactory = _ => TelemetrySettings.DefaultCoordinatorMetricsPort };
        var metricsHost = new Option<string>("--metrics-host") { Description = "address of the /metrics endpoint (* for every interface)", DefaultValueFactory = _ => "127.0.0.1" };
        var command = new Command("run", "Run a study: coordinator node (+ local trainers), progress, leaderboard and verdict")
        {
            study, db, port, hostname, publicHostname, localTrainers, trainerSlots, trainerThreads, trainerCommand, dataDir, checkpointDir, http, httpToken, json, dryRun, verbose, insecure, tlsCertificate, tlsPassword,
            logLevel, logDir, metricsPort, metricsHost,
        };
        command.SetAction(async (r, cancellation) =>
        {
            var httpValue = r.GetValue(http)!;
            var options = new CoordinatorOptions
            {
                Study = r.GetValue(study)!, StorePath = r.GetValue(db)!, LocalTrainers = r.GetValue(localTrainers), TrainerSlots = r.GetValue(trainerSlots),
                TrainerThreads = r.GetValue(trainerThreads), TrainerCommand = r.GetValue(trainerCommand), DataDirectory = r.GetValue(dataDir),
                CheckpointDirectory = r.GetValue(checkpointDir), Http = httpValue.Equals("off", StringComparison.OrdinalIgnoreCase) ? null : httpValue,
                HttpToken = Web.HttpToken.Resolve(r.GetValue(httpToken)),
                Json = r.GetValue(json), DryRun = r.GetValue(dryRun), Verbose = r.GetValue(verbose),
                Observability = new ObservabilityOptions { LogLevel = r.GetValue(logLevel), LogDirectory = r.GetValue(logDir), MetricsPort = r.GetValue(metricsPort), MetricsHost = r.GetValue(metricsHost)! },
                Cluster = new ClusterSettings
                {
                    Hostname = r.GetValue(hostname)!, PublicHostname = r.GetValue(publicHostname), Port = r.GetValue(port), Insecure = r.GetValue(insecure),
                    TlsCertificate = r.GetValue(tlsCertificate), TlsPassword = r.GetValue(tlsPassword) ?? Environment.GetEnvironmentVariable("RNNSEARCH_TLS_PASSWORD"),
                },
            };
            return await RunAsync(options, cancellation);
        });
        return command;
    }

    public static async Task<int> RunAsync(CoordinatorOptions options, CancellationToken cancellation)
    {
        if (options.LocalTrainers < 0) throw new CliError($"--local-trainers {options.LocalTrainers}: must be >= 0");
        if (options.TrainerSlots < 1) throw new CliError($"--trainer-slots {options.TrainerSlots}: must be >= 1");
        var definition = StudyFile.Load(options.Study);
        var expansion = CandidateGenerator.Expand(definition);
        var plan = StudyPlan.For(definition, expansion);
        var output = options.Json ? Console.Error : Console.Out;
        output.WriteLine(plan.Describe(definition));
        if (options.DryRun) return 0;

        options.Cluster.Validate();
        if (options.Observability.LogLevel is { } level) LoggingSettings.NormalizeLevel(level);
        if (options.Observability.MetricsPort is < 0 or > 65535) throw new CliError($"--metrics-port {options.Observability.MetricsPort}: must be from 0 to 65535");
        if (options.Cluster.Port > 0) EnsurePortFree(options.Cluster.Hostname, options.Cluster.Port, "--port");
        var dataDirectory = options.LocalTrainers > 0 ? DataDirectory.Resolve(options.DataDirectory) : null;

        using var store = StudyStore.Open(options.StorePath);
        var context = OpenStudy(store, definition, expansion, options, output);
        if (context.Scheduler.IsComplete)
        {
            output.WriteLine($"Study {definition.Id} is already complete in {store.Path}.");
            PrintLeaderboard(options);
            return 0;
        }

        using var observability = CoordinatorObservability.Start(options, definition.Id);
        static void Logging(ILoggingBuilder logging) => logging.AddRnnSearchLogging();
        var log = observability.Loggers.CreateLogger("RnnSearch.Coordinator");

        await using var app = CoordinatorHost.Build(options, context, Logging);
        try
        {
            await app.StartAsync(cancellation);
        }
        catch (IOException e) when (e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliError($"--http {options.Http}: address already in use");
        }
        if (options.Http is not null) output.WriteLine($"Web UI and API: {string.Join(", ", app.Urls)}{(options.HttpToken is null ? "" : " (token required: open /?token=TOKEN once)")}");
        output.WriteLine($"Coordinator at {CoordinatorHost.SeedAddress(options)}; trainers join with --seed-nodes {CoordinatorHost.SeedAddress(options)}");
        output.WriteLine($"Logs: {observability.LogFile}; metrics: {observability.MetricsUrl ?? "off"}");

        using var trainers = new LocalTrainers(log) { TlsPassword = options.Cluster.TlsPassword };
        if (options.LocalTrainers > 0)
        {
            var trainerLogs = options.Observability.LogDirectory ?? Path.Combine(options.RunDirectory, definition.Id);
            var threads = options.TrainerThreads ?? Math.Max(1, Environment.ProcessorCount / (options.LocalTrainers * options.TrainerSlots));
            trainers.Start(options.LocalTrainers, CoordinatorHost.SeedAddress(options), options.TrainerSlots, threads, dataDirectory!,
                trainerLogs, options.TrainerCommand, options.Cluster.TlsCertificate is { } certificate ? ["--tls-certificate", Path.GetFullPath(certificate)] : [],
                i => CoordinatorObservability.TrainerArguments(options.Observability, trainerLogs, i));
            output.WriteLine($"Started {options.LocalTrainers} local trainer(s) (pids {string.Join(", ", trainers.ProcessIds)}), {options.TrainerSlots} slot(s) × {threads} thread(s) each; logs in {trainerLogs}");
        }

        // Ctrl-C arrives through the command line's token, SIGTERM through the host's lifetime: both stop gracefully.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation, app.Lifetime.ApplicationStopping);
        var started = DateTimeOffset.UtcNow;
        var local = options.LocalTrainers > 0;
        try
        {
            if (options.Json) await context.Completion.Task.WaitAsync(stop.Token);
            else await ProgressConsole.RunAsync(context.Progress, context.Completion.Task, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
        var system = app.Services.GetRequiredService<Akka.Actor.ActorSystem>();
        if (!context.Completion.Task.IsCompleted && system.WhenTerminated.IsCompleted)
        {
            var reason = Akka.Actor.CoordinatedShutdown.Get(system).ShutdownReason?.ToString() ?? "unknown";
            trainers.Dispose();
            throw new CliError($"the coordinator's actor system stopped unexpectedly ({reason}); {context.Progress.Current.Done}/{context.Progress.Current.Total} trials are recorded in {store.Path}: run the same command to resume");
        }
        if (!context.Completion.Task.IsCompleted)
        {
            // Graceful stop (Ctrl-C / SIGTERM): trainers are told to stop their trials, which go back to pending.
            try
            {
                var coordinator = app.Services.GetRequiredService<Akka.Hosting.ActorRegistry>().Get<StudyCoordinatorKey>();
                await Akka.Actor.Futures.Ask<Akka.Done>(coordinator, StudyCoordinatorActor.PrepareShutdown.Instance, TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is TimeoutException or Akka.Actor.AskTimeoutException or InvalidOperationException)
            {
                log.LogWarning("Coordinator actor did not confirm the stop ({Message}); running trials will be re-queued at the next start", e.Message);
            }
            output.WriteLine($"Interrupted: {context.Progress.Current.Done}/{context.Progress.Current.Total} trials recorded in {store.Path}; run the same command to resume.");
            await trainers.StopAsync(TimeSpan.FromSeconds(local ? 10 : 0));
            await app.StopAsync(CancellationToken.None);
            return 130;
        }
        output.WriteLine($"Study {definition.Id} complete in {(DateTimeOffset.UtcNow - started).TotalSeconds:F0} s.");
        await trainers.StopAsync(TimeSpan.FromSeconds(20));
        await app.StopAsync(CancellationToken.None);
        PrintLeaderboard(options);
        return 0;

        void PrintLeaderboard(CoordinatorOptions o)
        {
            using var reader = StudyStore.Open(o.StorePath, create: false);
            var report = LeaderboardBuilder.Build(reader, definition.Id);
            if (o.Json) Console.WriteLine(JsonSerializer.Serialize(report, JsonOptions.Indented));
            else LeaderboardPrinter.Print(report, AnsiConsole.Console);
        }
    }

    private static StudyContext OpenStudy(StudyStore store, StudyDefinition definition, CandidateGenerator.Expansion expansion, CoordinatorOptions options, TextWriter output)
    {
        var existing = store.FindStudy(definition.Id);
        TrialScheduler scheduler;
        if (existing is null)
        {
            scheduler = new TrialScheduler(definition, expansion.Candidates, []);
            store.CreateStudy(definition, expansion.Candidates, scheduler.CreateInitialTrials());
        }
        else
        {
            var requeued = store.ResetRunning(definition.Id);
            scheduler = new TrialScheduler(definition, store.LoadCandidates(definition.Id), store.LoadTrials(definition.Id));
            store.AddTrials(definition.Id, scheduler.CatchUpFinalTrials());
            output.WriteLine($"Resuming {definition.Id} from {store.Path}: {scheduler.Done}/{scheduler.Total} trials recorded, {requeued} unfinished re-queued.");
        }
        var checkpoints = options.CheckpointDirectory ?? Path.Combine(options.RunDirectory, "checkpoints");
        return new StudyContext(definition, store, scheduler, Path.GetFullPath(checkpoints), exitTrainersWhenDone: true);
    }

    private static void EnsurePortFree(string host, int port, string option)
    {
        var address = IPAddress.TryParse(host, out var parsed) ? parsed : IPAddress.Loopback;
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            listener.Stop();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new CliError($"{option} {port}: port already in use on {host} (another coordinator running?)");
        }
    }
}
