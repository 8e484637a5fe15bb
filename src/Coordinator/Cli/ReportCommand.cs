using System.CommandLine;
using RnnSearch.Coordinator.Report;
using RnnSearch.Coordinator.Store;

namespace RnnSearch.Coordinator.Cli;

/// <summary>
/// <c>report [--db PATH] [--study ID] --out DIR</c>: writes report.md (+ figures/) and a self-contained report.html of a
/// stored study: summary, answers to the practitioner's intuitions, verdicts, leaderboard, figures, published values.
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var db = new Option<string>("--db") { Description = "SQLite store", DefaultValueFactory = _ => StudyStore.DefaultPath };
        var studyId = new Option<string?>("--study") { Description = "study id (default: the most recent study in the store)" };
        var output = new Option<string>("--out") { Description = "folder to write report.md, figures/ and report.html into", Required = true };
        var command = new Command("report", "Write a Markdown and a self-contained HTML report of a stored study") { db, studyId, output };
        command.SetAction(r =>
        {
            using var store = StudyStore.Open(r.GetValue(db)!, create: false);
            var id = LeaderboardCommand.ResolveStudy(store, r.GetValue(studyId));
            var document = ReportBuilder.Build(ReportData.Load(store, id), DateTimeOffset.UtcNow);
            var (markdown, html) = ReportWriter.Write(document, r.GetValue(output)!);
            Console.WriteLine($"Report of {id}: {markdown}, {html}");
            return 0;
        });
        return command;
    }
}
