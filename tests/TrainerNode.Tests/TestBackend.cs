using System.Reflection;
using System.Runtime.CompilerServices;
using RnnSearch.TrainerNode.Training;

namespace RnnSearch.TrainerNode.Tests;

/// <summary>
/// The libtorch these tests run on. Built as usual they use TorchSharp-cpu's; built with -p:TorchBackend=external
/// (docs/gpu.md) they load the folder in RNNSEARCH_LIBTORCH before any test touches torch, so the whole suite can run
/// against another libtorch, e.g. a PyTorch install with CUDA, where the CUDA tests then run instead of being skipped.
/// </summary>
internal static class TestBackend
{
    /// <summary>The TorchBackend this test assembly was built with (its own AssemblyMetadata, from the same property).</summary>
    public static string Flavour { get; } =
        typeof(TestBackend).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "TorchBackend")?.Value ?? "cpu";

    /// <summary>
    /// Loads the libtorch, then sets one torch thread for every test: with a fixed seed a numeric test then gives the
    /// same numbers on every run (with several threads the order of summation may change between runs, enough to move
    /// a loss across a bar: FamiliesTrainTests once failed that way in CI).
    /// </summary>
    [ModuleInitializer]
    internal static void LoadLibTorch()
    {
        if (TorchBackend.IsExternal) TorchBackend.Initialize(null);
        TorchRuntime.SetThreads(1);
    }

    private static readonly Lazy<bool> Cuda = new(() => TorchSharp.torch.cuda.is_available());

    public static bool CudaAvailable => Cuda.Value;
}

/// <summary>A fact that needs a CUDA device: reported as skipped, with the reason, where libtorch sees none.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (!TestBackend.CudaAvailable)
            Skip = $"needs a CUDA device: this run's libtorch ({TestBackend.Flavour} build) sees none; run on a GPU machine with the external build (docs/gpu.md)";
    }
}

/// <summary>A fact about the build's own behaviour without CUDA (e.g. the error for --device cuda): skipped where CUDA is available.</summary>
public sealed class NoCudaFactAttribute : FactAttribute
{
    public NoCudaFactAttribute()
    {
        if (TestBackend.CudaAvailable) Skip = "CUDA is available in this run: the no-CUDA error path cannot be reached";
    }
}

/// <summary>A fact about the default build (TorchSharp-cpu carries its own libtorch): skipped in an external-backend test build.</summary>
public sealed class BundledLibTorchFactAttribute : FactAttribute
{
    public BundledLibTorchFactAttribute()
    {
        if (TorchBackend.IsExternal) Skip = "this test build loads an external libtorch; the test is about the default build";
    }
}
