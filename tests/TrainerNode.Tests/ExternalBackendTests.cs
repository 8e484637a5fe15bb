using System.Diagnostics;
using System.Text.Json;

namespace RnnSearch.TrainerNode.Tests;

/// <summary>
/// The external-libtorch build (dotnet build src/TrainerNode -c Release -p:TorchBackend=external) as a program, pointed at
/// the NuGet cache's CPU libtorch as a stand-in for a PyTorch install: it must train, and every way of getting the
/// libtorch wrong must end in one "error: ..." line with exit code 2. Skipped, with the reason, when that build is absent.
/// </summary>
public class ExternalBackendTests
{
    private static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "RnnSearch.sln"))) return dir.FullName;
            throw new InvalidOperationException("RnnSearch.sln not found above " + AppContext.BaseDirectory);
        }
    }

    private static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";

    /// <summary>The external build's program (apphost), or null.</summary>
    internal static string? Program
    {
        get
        {
            var path = Path.Combine(RepositoryRoot, "artifacts", "torch-external", "bin", "RnnSearch.TrainerNode", Configuration, "net10.0", "linux-x64", "RnnSearch.TrainerNode");
            return File.Exists(path) ? path : null;
        }
    }

    internal static (int Code, string Out, string Err) Run(IDictionary<string, string?> environment, params string[] args)
    {
        var info = new ProcessStartInfo(Program!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment.Remove("RNNSEARCH_LIBTORCH");
        info.Environment.Remove("LD_LIBRARY_PATH");
        foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', args)} did not finish in 120 s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => Run(new Dictionary<string, string?>(), args);

    private static string[] Train(params string[] extra) =>
        ["train", "--task", "jsb", "--spec", "LSTM:hidden=16", "--epochs", "1", "--max-batches", "3", "--threads", "1", "--data-dir", TestData.Directory, "--json", .. extra];

    private static void AssertTrained((int Code, string Out, string Err) run)
    {
        Assert.True(run.Code == 0, $"exit {run.Code}: {run.Err}");
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("cpu", json.RootElement.GetProperty("device").GetString());
        Assert.True(json.RootElement.GetProperty("test_metric").GetDouble() is > 0 and < 100);
    }

    private static void AssertError((int Code, string Out, string Err) run, string start)
    {
        Assert.Equal(2, run.Code);
        var lines = run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got: {run.Err}");
        Assert.StartsWith("error: " + start, lines[0]);
        Assert.DoesNotContain("LoadNativeBackend", run.Out + run.Err); // never TorchSharp's long trace
    }

    [ExternalBuildFact]
    public void It_trains_a_real_trial_with_libtorch_from_the_option_the_environment_or_ld_library_path()
    {
        var folder = NuGetLibTorch.Folder!;
        AssertTrained(Run(Train("--libtorch", folder)));
        AssertTrained(Run(new Dictionary<string, string?> { ["RNNSEARCH_LIBTORCH"] = folder }, Train()));
        AssertTrained(Run(new Dictionary<string, string?> { ["LD_LIBRARY_PATH"] = folder }, Train()));
    }

    [ExternalBuildFact]
    public void Without_a_usable_libtorch_it_says_so_in_one_line()
    {
        AssertError(Run(Train()), "no libtorch: this is the external-libtorch build of the trainer; pass --libtorch DIR or set RNNSEARCH_LIBTORCH");
        AssertError(Run(Train("--libtorch", "/no/such/libtorch")), "--libtorch /no/such/libtorch: no such directory");
        var empty = TestData.TemporaryDirectory();
        AssertError(Run(new Dictionary<string, string?> { ["RNNSEARCH_LIBTORCH"] = empty }, Train()), $"RNNSEARCH_LIBTORCH={empty}: no libtorch there (missing libc10.so, libtorch_cpu.so, libtorch.so)");

        var garbage = TestData.TemporaryDirectory();
        foreach (var name in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" }) File.WriteAllText(Path.Combine(garbage, name), new string('x', 200));
        AssertError(Run(Train("--libtorch", garbage)), $"--libtorch {garbage}: cannot load {Path.Combine(garbage, "libc10.so")}: ");

        // Real shared libraries under libtorch's names: they load, but TorchSharp's glue does not find libtorch in them.
        var impostor = TestData.TemporaryDirectory();
        var zlib = new[] { "/usr/lib/x86_64-linux-gnu/libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1" }.First(File.Exists);
        foreach (var name in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" }) File.Copy(zlib, Path.Combine(impostor, name));
        AssertError(Run(Train("--libtorch", impostor)), $"--libtorch {impostor}: TorchSharp's libLibTorchSharp.so does not load against this libtorch: ");
    }

    [ExternalBuildFact]
    public void An_old_libtorch_on_the_loader_path_is_refused_naming_both_versions()
    {
        // What Debian's python3-torch leaves on the default path: libtorch_cpu.so -> libtorch_cpu.so.1.13 (here a real,
        // tiny shared library built for the test, since only its name and version matter before TorchSharp's glue runs).
        var folder = TestData.TemporaryDirectory();
        var versioned = Path.Combine(folder, "libtorch_cpu.so.1.13");
        var compiler = Process.Start(new ProcessStartInfo("g++", ["-shared", "-fPIC", "-x", "c++", "-", "-o", versioned]) { RedirectStandardInput = true, UseShellExecute = false })!;
        compiler.StandardInput.Write("extern \"C\" int rnnsearch_stand_in_for_libtorch() { return 113; }\n");
        compiler.StandardInput.Close();
        Assert.True(compiler.WaitForExit(60_000) && compiler.ExitCode == 0, "g++ could not build the stand-in library");
        File.CreateSymbolicLink(Path.Combine(folder, "libtorch_cpu.so"), versioned);

        var run = Run(new Dictionary<string, string?> { ["LD_LIBRARY_PATH"] = folder }, Train());
        AssertError(run, $"libtorch 1.13 found at {versioned} (on the loader's default path or LD_LIBRARY_PATH), but TorchSharp 0.107 needs libtorch 2.10 or a later 2.x");

        // The same library given as a folder (a libtorch distribution records its version in build-version).
        var distribution = TestData.TemporaryDirectory();
        var lib = Directory.CreateDirectory(Path.Combine(distribution, "lib")).FullName;
        foreach (var name in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" }) File.Copy(versioned, Path.Combine(lib, name));
        File.WriteAllText(Path.Combine(distribution, "build-version"), "1.13.1+cpu\n");
        AssertError(Run(Train("--libtorch", lib)), $"libtorch 1.13 found at {Path.Combine(lib, "libtorch_cpu.so")} (--libtorch {lib}), but TorchSharp 0.107 needs libtorch 2.10");
    }

    [ExternalBuildFact]
    public void Cuda_on_a_cpu_libtorch_is_refused_in_one_line_by_train_node_and_gpu_check()
    {
        var folder = NuGetLibTorch.Folder!;
        AssertError(Run(Train("--libtorch", folder, "--device", "cuda")), $"--device cuda: CUDA is not available: the libtorch loaded from {folder} has no CUDA");
        AssertError(Run("--seed-nodes", "akka.tcp://rnnsearch@127.0.0.1:1", "--libtorch", folder, "--device", "cuda:1", "--metrics-port", "0", "--threads", "1"), "--device cuda:1: CUDA is not available: ");
        AssertError(Run("gpu-check", "--libtorch", folder, "--device", "cuda"), "--device cuda: CUDA is not available: ");
    }

    [ExternalBuildFact]
    public void Gpu_check_runs_on_the_external_libtorch()
    {
        var run = Run("gpu-check", "--libtorch", NuGetLibTorch.Folder!, "--hidden", "8", "--batch", "2", "--steps", "4", "--warmup", "0", "--timed", "1", "--threads", "1", "--json");
        Assert.True(run.Code == 0, run.Err);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("external", json.RootElement.GetProperty("backend").GetString());
        Assert.Equal(Path.GetFullPath(NuGetLibTorch.Folder!), json.RootElement.GetProperty("lib_torch").GetString());
        Assert.Equal("cpu", json.RootElement.GetProperty("device").GetString()); // auto: no CUDA in this libtorch
        Assert.Equal(4, json.RootElement.GetProperty("rows").GetArrayLength());
    }
}

/// <summary>Needs the external build and the NuGet CPU libtorch; skipped, with the command to build it, otherwise.</summary>
public sealed class ExternalBuildFactAttribute : FactAttribute
{
    public ExternalBuildFactAttribute()
    {
        if (ExternalBackendTests.Program is null)
            Skip = "external-libtorch build not found (build it with: dotnet build src/TrainerNode -c Release -p:TorchBackend=external)";
        else if (NuGetLibTorch.Folder is null)
            Skip = NuGetLibTorch.Missing;
    }
}
