using System.CommandLine;
using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Cli;

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
        return CommandRunner.Run(root, args, e => e is CliError or SpecException or ArgumentException or FormatException or IOException
            or Studies.StudyFileException or Store.StoreException or Shared.Tasks.DataException);
    }
}
