using RnnSearch.TrainerNode.Training;
using TorchSharp;

namespace RnnSearch.TrainerNode.Tests;

public class DeviceRequestTests
{
    [Theory]
    [InlineData("cpu", false, 0, "cpu")]
    [InlineData(" CPU ", false, 0, "cpu")]
    [InlineData("cuda", true, 0, "cuda:0")]
    [InlineData("CUDA:0", true, 0, "cuda:0")]
    [InlineData("cuda:3", true, 3, "cuda:3")]
    public void Valid_device_names_parse_to_a_canonical_name(string text, bool isCuda, int index, string name)
    {
        var request = DeviceRequest.Parse(text);
        Assert.Equal(isCuda, request.Cuda);
        Assert.Equal(index, request.Index);
        Assert.Equal(name, request.Name);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    [InlineData("cuda:1.5")]
    [InlineData("cuda0")]
    [InlineData("")]
    public void Invalid_device_names_are_one_line_errors(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => DeviceRequest.Parse(text));
        Assert.Equal($"--device {text}: expected cpu, cuda or cuda:N", e.Message);
    }

    [Fact]
    public void The_torch_device_prints_as_the_name_recorded_with_results()
    {
        Assert.Equal("cuda:0", DeviceRequest.Parse("cuda").ToDevice().ToString());
        Assert.Equal("cuda:2", DeviceRequest.Parse("cuda:2").ToDevice().ToString());
        Assert.Equal(DeviceType.CUDA, DeviceRequest.Parse("cuda:2").ToDevice().type);
        Assert.Equal(DeviceType.CPU, DeviceRequest.Parse("cpu").ToDevice().type);
    }

    [Fact]
    public void Cuda_without_cuda_names_the_reason_for_each_build_flavour()
    {
        var request = DeviceRequest.Parse("cuda");
        var cpuBuild = Assert.Throws<ArgumentException>(() => request.Check("cuda", cudaAvailable: false, cudaDevices: 0, libtorchDirectory: null, flavour: "cpu"));
        Assert.StartsWith("--device cuda: CUDA is not available: this trainer was built with TorchBackend=cpu", cpuBuild.Message);
        Assert.Contains("-p:TorchBackend=external", cpuBuild.Message);
        var external = Assert.Throws<ArgumentException>(() => request.Check("cuda", false, 0, "/opt/torch/lib", "external"));
        Assert.StartsWith("--device cuda: CUDA is not available: the libtorch loaded from /opt/torch/lib has no CUDA", external.Message);
        Assert.DoesNotContain('\n', external.Message);
    }

    [Fact]
    public void A_cuda_index_beyond_the_visible_devices_is_refused_and_one_within_is_accepted()
    {
        var e = Assert.Throws<ArgumentException>(() => DeviceRequest.Parse("cuda:1").Check("cuda:1", true, 1, "/x", "external"));
        Assert.Equal("--device cuda:1: only 1 CUDA device(s) visible (cuda:0)", e.Message);
        var four = Assert.Throws<ArgumentException>(() => DeviceRequest.Parse("cuda:4").Check("cuda:4", true, 4, "/x", "external"));
        Assert.Equal("--device cuda:4: only 4 CUDA device(s) visible (cuda:0 to cuda:3)", four.Message);
        Assert.Equal("cuda:3", DeviceRequest.Parse("cuda:3").Check("cuda:3", true, 4, "/x", "external").Name);
        Assert.Equal("cpu", DeviceRequest.Parse("cpu").Check("cpu", false, 0, null, "cpu").Name);
    }

    [NoCudaFact]
    public void This_runs_libtorch_refuses_cuda_with_the_one_line_error()
    {
        var e = Assert.Throws<ArgumentException>(() => TorchRuntime.ParseDevice("cuda:0"));
        Assert.StartsWith("--device cuda:0: CUDA is not available: ", e.Message);
        Assert.Equal(DeviceType.CPU, TorchRuntime.ParseDevice("cpu").type);
    }

    [CudaFact]
    public void This_runs_libtorch_accepts_its_cuda_devices_and_refuses_the_next_index()
    {
        var count = torch.cuda.device_count();
        Assert.Equal("cuda:0", TorchRuntime.CheckDevice("cuda").Name);
        Assert.Equal($"cuda:{count - 1}", TorchRuntime.CheckDevice($"cuda:{count - 1}").Name);
        var e = Assert.Throws<ArgumentException>(() => TorchRuntime.CheckDevice($"cuda:{count}"));
        Assert.StartsWith($"--device cuda:{count}: only {count} CUDA device(s) visible", e.Message);
    }
}
