using RnnSearch.TrainerNode.Training;

namespace RnnSearch.TrainerNode.Tests;

public class LibTorchFolderTests
{
    [Fact]
    public void A_missing_folder_is_a_one_line_error()
    {
        var e = Assert.Throws<ArgumentException>(() => LibTorchFolder.Libraries("/no/such/libtorch", "--libtorch /no/such/libtorch"));
        Assert.Equal("--libtorch /no/such/libtorch: no such directory", e.Message);
    }

    [Fact]
    public void A_folder_without_libtorch_names_what_is_missing_and_where_to_look()
    {
        var folder = TestData.TemporaryDirectory();
        File.WriteAllText(Path.Combine(folder, "libc10.so"), "");
        var e = Assert.Throws<ArgumentException>(() => LibTorchFolder.Libraries(folder, $"--libtorch {folder}"));
        Assert.StartsWith($"--libtorch {folder}: no libtorch there (missing libtorch_cpu.so, libtorch.so); give the torch/lib folder of a PyTorch install", e.Message);
        Assert.Contains("import torch", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Libraries_are_loaded_in_dependency_order_with_the_cuda_ones_when_present()
    {
        var folder = TestData.TemporaryDirectory();
        foreach (var name in new[] { "libtorch.so", "libtorch_cpu.so", "libc10.so" }) File.WriteAllText(Path.Combine(folder, name), "");
        Assert.Equal(["libc10.so", "libtorch_cpu.so", "libtorch.so"], LibTorchFolder.Libraries(folder, "x").Select(Path.GetFileName));
        foreach (var name in new[] { "libtorch_cuda.so", "libc10_cuda.so" }) File.WriteAllText(Path.Combine(folder, name), "");
        var libraries = LibTorchFolder.Libraries(folder, "x");
        Assert.Equal(["libc10.so", "libc10_cuda.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so"], libraries.Select(Path.GetFileName));
        Assert.All(libraries, path => Assert.True(Path.IsPathFullyQualified(path)));
    }

    [Fact]
    public void A_library_that_does_not_load_gives_the_loaders_message_on_one_line()
    {
        var folder = TestData.TemporaryDirectory();
        foreach (var name in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" }) File.WriteAllText(Path.Combine(folder, name), "this is not an ELF file, just text long enough to have a header........................");
        var e = Assert.Throws<ArgumentException>(() => LibTorchFolder.Load(LibTorchFolder.Libraries(folder, "--libtorch X"), "--libtorch X"));
        Assert.StartsWith($"--libtorch X: cannot load {Path.Combine(folder, "libc10.so")}: ", e.Message);
        Assert.Contains("invalid ELF header", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void The_pytorch_version_is_read_from_the_install_beside_the_lib_folder()
    {
        var torch = TestData.TemporaryDirectory();
        var lib = Directory.CreateDirectory(Path.Combine(torch, "lib")).FullName;
        Assert.Null(LibTorchFolder.PyTorchVersion(lib));
        File.WriteAllText(Path.Combine(torch, "version.py"), "from typing import Optional\n__all__ = ['__version__']\n__version__ = '2.11.0+cu130'\ngit_version = 'abc'\n");
        Assert.Equal("2.11.0+cu130", LibTorchFolder.PyTorchVersion(lib));
    }

    [NuGetLibTorchFact]
    public void The_nuget_cpu_libtorch_is_a_valid_folder()
    {
        Assert.Equal(["libc10.so", "libtorch_cpu.so", "libtorch.so"], LibTorchFolder.Libraries(NuGetLibTorch.Folder!, "x").Select(Path.GetFileName));
    }
}
