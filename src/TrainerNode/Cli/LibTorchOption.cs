using System.CommandLine;
using RnnSearch.TrainerNode.Training;

namespace RnnSearch.TrainerNode.Cli;

/// <summary>--libtorch DIR, shared by the trainer's commands; its value goes to <see cref="TorchBackend.Initialize"/> before any torch call.</summary>
internal static class LibTorchOption
{
    public static Option<string?> Create() => new("--libtorch")
    {
        Description = $"libtorch folder to load, e.g. a PyTorch install's torch/lib (external build only; default: {TorchBackend.EnvironmentVariable}, else LD_LIBRARY_PATH)",
    };
}
