using System.Text.Json;
using RnnSearch.TrainerNode.Cli;

namespace RnnSearch.TrainerNode.Tests;

/// <summary>The trainer's device and libtorch options end in one "error: ..." line and exit code 2 (run in this process).</summary>
public class TrainerCliDeviceTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var code = TrainerCommandLine.Run(args);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }

    private static string[] Train(params string[] extra) =>
        ["train", "--task", "jsb", "--spec", "LSTM:hidden=8", "--epochs", "1", "--max-batches", "1", "--threads", "1", "--data-dir", TestData.Directory, "--json", .. extra];

    private static void AssertOneLineError(string stderr, string start)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got: {stderr}");
        Assert.StartsWith("error: " + start, lines[0]);
    }

    [Fact]
    public void A_malformed_device_is_refused_by_train_and_by_the_node() =>
        AssertRefusedByTrainAndNode("gpu0", "cuda:one", device => $"--device {device}: expected cpu, cuda or cuda:N");

    [NoCudaFact]
    public void Cuda_without_cuda_is_refused_by_train_and_by_the_node() =>
        AssertRefusedByTrainAndNode("cuda", "cuda:1", device => $"--device {device}: CUDA is not available: ");

    /// <summary><c>train --device trainDevice</c> and the node with <c>--device nodeDevice</c> both exit 2 with one error line.</summary>
    private static void AssertRefusedByTrainAndNode(string trainDevice, string nodeDevice, Func<string, string> expected)
    {
        var train = Run(Train("--device", trainDevice));
        Assert.Equal(2, train.Code);
        AssertOneLineError(train.Err, expected(trainDevice));
        var node = Run("--seed-nodes", "akka.tcp://rnnsearch@127.0.0.1:1", "--device", nodeDevice, "--metrics-port", "0", "--threads", "1");
        Assert.Equal(2, node.Code);
        AssertOneLineError(node.Err, expected(nodeDevice));
    }

    [BundledLibTorchFact]
    public void The_default_build_refuses_libtorch_with_a_one_line_error()
    {
        var folder = TestData.TemporaryDirectory();
        var train = Run(Train("--libtorch", folder));
        Assert.Equal(2, train.Code);
        AssertOneLineError(train.Err, $"--libtorch {folder}: this trainer was built with TorchBackend=cpu and carries its own libtorch");
        var check = Run("gpu-check", "--libtorch", folder);
        Assert.Equal(2, check.Code);
    }

    [Fact]
    public void Gpu_check_reports_the_backend_and_a_ratio_table()
    {
        var (code, stdout, stderr) = Run("gpu-check", "--device", "cpu", "--hidden", "8", "--batch", "2", "--steps", "4", "--inputs", "5", "--warmup", "0", "--timed", "1", "--threads", "1", "--json");
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(TestBackend.Flavour, root.GetProperty("backend").GetString());
        Assert.Equal("cpu", root.GetProperty("device").GetString());
        var rows = root.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(2 + GpuCheckCommand.DefaultDeepSpecs.Length, rows.Count);
        Assert.Equal("built-in", rows[0].GetProperty("path").GetString());
        Assert.Equal(1.0, rows[0].GetProperty("ratio_to_builtin").GetDouble());
        Assert.All(rows, r => Assert.True(r.GetProperty("ms_per_step").GetDouble() > 0));

        var text = Run("gpu-check", "--device", "cpu", "--hidden", "8", "--batch", "2", "--steps", "4", "--inputs", "5", "--warmup", "0", "--timed", "1", "--threads", "1", "--spec", "GRU:input_depth=1");
        Assert.Equal(0, text.Code);
        Assert.Contains("× built-in", text.Out);
        Assert.Contains("GRU:hidden=8,input_depth=1", text.Out);

        var bad = Run("gpu-check", "--device", "cpu", "--timed", "0");
        Assert.Equal(2, bad.Code);
        AssertOneLineError(bad.Err, "--timed 0: must be >= 1");
    }
}
