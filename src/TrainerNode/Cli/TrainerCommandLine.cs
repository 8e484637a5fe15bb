using System.CommandLine;
using Microsoft.Extensions.Logging;
using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Cli;
using RnnSearch.Shared.Logging;
using RnnSearch.TrainerNode.Tasks;
using RnnSearch.Shared.Tasks;
using RnnSearch.TrainerNode.Training;

namespace RnnSearch.TrainerNode.Cli;

/// <summary>The trainer's commands; bad input ends as one "error: ..." line on stderr and exit code 2.</summary>
internal static class TrainerCommandLine
{
    public static int Run(string[] args)
    {
        // Console only until a node knows its id and log folder (NodeCommand replaces it); 'train' keeps this one.
        LoggingSetup.AddRnnSearchLogging(new LoggingSettings { Role = Shared.Hosting.ClusterConstants.TrainerRole }, LoggingSetup.LoadConfiguration(null));
        static void ConfigureLogging(ILoggingBuilder logging) => logging.AddRnnSearchLogging();
        using var logs = LoggerFactory.Create(ConfigureLogging);
        var root = new RootCommand("RnnSearch trainer node: joins a coordinator and trains trials for real with TorchSharp")
        {
            TrainCommand.Create(logs),
            Bench.BenchCommand.Create(),
            GpuCheckCommand.Create(),
        };
        NodeCommand.Configure(root, ConfigureLogging);
        return CommandRunner.Run(root, args, e => e is SpecException or DataException or ArgumentException or IOException or CheckpointException);
    }
}
