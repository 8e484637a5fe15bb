using System.CommandLine;
using Microsoft.Extensions.Logging;
using RnnSearch.Coordinator.Store;
using RnnSearch.Coordinator.Web;

namespace RnnSearch.Coordinator.Cli;

/// <summary>
/// <c>serve [--db PATH] [--study ID] [--http HOST:PORT] [--http-token TOKEN]</c>: the web UI over a stored study, without
/// a coordinator: for a finished study, or to follow one that another process is running (read from the store).
/// </summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var db = new Option<string>("--db") { Description = "SQLite store", DefaultValueFactory = _ => StudyStore.DefaultPath };
        var studyId = new Option<string?>("--study") { Description = "study id (default: the most recent study in the store)" };
        var http = new Option<string>("--http") { Description = "address of the web UI and JSON API, host:port", DefaultValueFactory = _ => "127.0.0.1:5080" };
        var httpToken = new Option<string?>("--http-token") { Description = $"require this bearer token for the web UI and API (or {HttpToken.EnvironmentVariable})" };
        var command = new Command("serve", "Serve the web UI and JSON API of a stored study (read-only) until Ctrl+C") { db, studyId, http, httpToken };
        command.SetAction(async (r, cancellation) =>
        {
            StoredStudy study;
            string storePath;
            using (var store = StudyStore.Open(r.GetValue(db)!, create: false))
            {
                study = store.LoadStudy(LeaderboardCommand.ResolveStudy(store, r.GetValue(studyId)))!;
                storePath = store.Path;
            }
            var token = HttpToken.Resolve(r.GetValue(httpToken));
            var address = r.GetValue(http)!;
            await using var app = StoredStudyServer.Build(storePath, study, address, token, logging => logging
                .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
                .SetMinimumLevel(LogLevel.Warning));
            try
            {
                await app.StartAsync(cancellation);
            }
            catch (IOException e) when (e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                throw new CliError($"--http {address}: address already in use");
            }
            Console.WriteLine($"Serving {study.Id} from {storePath} at {string.Join(", ", app.Urls)}{(token is null ? "" : " (token required: open /?token=TOKEN once)")}; Ctrl+C stops.");
            // Ctrl-C arrives through the command line's token; SIGTERM is taken by the web host's lifetime, which only
            // signals ApplicationStopping: wait for either, or SIGTERM would leave the program running.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation, app.Lifetime.ApplicationStopping);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
            await app.StopAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }
}
