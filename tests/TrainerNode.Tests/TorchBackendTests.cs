using RnnSearch.TrainerNode.Training;

namespace RnnSearch.TrainerNode.Tests;

public class TorchBackendTests
{
    [Fact]
    public void The_trainer_knows_the_flavour_it_was_built_with()
    {
        Assert.Equal(TestBackend.Flavour, TorchBackend.Flavour);
        Assert.Equal(TestBackend.Flavour == "external", TorchBackend.IsExternal);
    }

    [BundledLibTorchFact]
    public void The_default_build_refuses_another_libtorch_from_the_option_or_the_environment()
    {
        var folder = TestData.TemporaryDirectory();
        var option = Assert.Throws<ArgumentException>(() => TorchBackend.Initialize(folder));
        Assert.Equal($"--libtorch {folder}: this trainer was built with TorchBackend=cpu and carries its own libtorch; build it with -p:TorchBackend=external to load another one (docs/gpu.md)", option.Message);

        var before = Environment.GetEnvironmentVariable(TorchBackend.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(TorchBackend.EnvironmentVariable, folder);
            var environment = Assert.Throws<ArgumentException>(() => TorchBackend.Initialize(null));
            Assert.StartsWith($"RNNSEARCH_LIBTORCH={folder}: this trainer was built with TorchBackend=cpu", environment.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(TorchBackend.EnvironmentVariable, before);
        }
        TorchBackend.Initialize(null); // nothing asked for: the build's own libtorch
        Assert.Null(TorchBackend.LibTorchDirectory);
    }
}
