using System.CommandLine;
using RnnSearch.Shared.Architecture;

namespace RnnSearch.Coordinator.Cli;

/// <summary>The coordinator's commands; every bad input ends as one "error: ..." line on stderr and exit code 2.</summary>
public static class CommandLine
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("RnnSearch coordinator: architecture search over ways to deepen recurrent networks")
        {
            DescribeCommand.Create(),
            RunCommand.Create(),
            LeaderboardCommand.Create(),
            ServeCommand.Create(),
            ReportCommand.Create(),
            Bench.BenchCommand.Create(),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine("error: " + parsed.Errors[0].Message);
            return 2;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is CliError or SpecException or ArgumentException or FormatException or IOException or Studies.StudyFileException or Store.StoreException or Shared.Tasks.DataException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
    }
}
