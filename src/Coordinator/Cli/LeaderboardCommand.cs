using System.CommandLine;
using System.Text.Json;
using RnnSearch.Coordinator.Leaderboard;
using RnnSearch.Coordinator.Store;
using Spectre.Console;

namespace RnnSearch.Coordinator.Cli;

/// <summary><c>leaderboard [--db PATH] [--study ID] [--json]</c>: the leaderboard and verdicts of a stored study (the latest by default).</summary>
public static class LeaderboardCommand
{
    public static Command Create()
    {
        var db = new Option<string>("--db") { Description = "SQLite store", DefaultValueFactory = _ => StudyStore.DefaultPath };
        var studyId = new Option<string?>("--study") { Description = "study id (default: the most recent study in the store)" };
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var command = new Command("leaderboard", "Print the leaderboard and verdict of a study from the store") { db, studyId, json };
        command.SetAction(r =>
        {
            using var store = StudyStore.Open(r.GetValue(db)!, create: false);
            var id = ResolveStudy(store, r.GetValue(studyId));
            var report = LeaderboardBuilder.Build(store, id);
            if (r.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(report, JsonOptions.Indented));
            else LeaderboardPrinter.Print(report, AnsiConsole.Console);
            return 0;
        });
        return command;
    }

    public static string ResolveStudy(StudyStore store, string? requested)
    {
        var ids = store.StudyIds();
        if (requested is null) return ids.Count > 0 ? ids[^1] : throw new CliError($"store {store.Path} has no study yet");
        return ids.Contains(requested) ? requested
            : ids.FirstOrDefault(i => i.StartsWith(requested + "-", StringComparison.Ordinal))
              ?? throw new CliError($"store {store.Path} has no study '{requested}'; it has: {string.Join(", ", ids)}");
    }
}
