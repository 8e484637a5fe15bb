using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Tasks;
using RnnSearch.TrainerNode.Models;
using RnnSearch.TrainerNode.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Tests;

/// <summary>Checkpoints load into the model and optimizer where they live, without moving the model (TensorState).</summary>
public class TensorStateTests
{
    private static readonly TaskShape Music = TaskShape.Dense(6, 6);

    private static RnnModel Model(long seed, string spec = "LSTM:hidden=8,gate_depth=2")
    {
        manual_seed(seed);
        return new RnnModel(ArchSpecParser.Parse(spec), Music, preferBuiltin: false);
    }

    private static byte[] Saved(nn.Module model)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) model.save(writer);
        return stream.ToArray();
    }

    private static void AssertSameValues(nn.Module expected, nn.Module actual)
    {
        var a = expected.named_parameters().ToDictionary(p => p.name, p => p.parameter.cpu().data<float>().ToArray());
        foreach (var (name, p) in actual.named_parameters()) Assert.Equal(a[name], p.cpu().data<float>().ToArray());
    }

    private static void RoundTrip(Device device)
    {
        using var source = Model(1);
        using var target = Model(2);
        source.to(device);
        target.to(device);
        var bytes = Saved(source);
        var before = target.parameters().ToArray();
        using (var reader = new BinaryReader(new MemoryStream(bytes))) TensorState.LoadModule(reader, target);
        AssertSameValues(source, target);
        var after = target.parameters().ToArray();
        Assert.Equal(before.Length, after.Length);
        for (var i = 0; i < before.Length; i++)
        {
            Assert.Same(before[i], after[i]); // the module was not moved: an optimizer's parameters stay the live ones
            Assert.Equal(device.type, after[i].device_type);
        }
    }

    [Fact]
    public void A_saved_module_loads_in_place_on_the_cpu() => RoundTrip(CPU);

    [CudaFact]
    public void A_saved_module_loads_in_place_on_cuda() => RoundTrip(new Device(DeviceType.CUDA, 0));

    [Fact]
    public void A_module_with_other_tensors_is_refused()
    {
        using var source = Model(1, "LSTM:hidden=8");
        using var target = Model(2, "LSTM:hidden=8,gate_depth=2");
        var bytes = Saved(source);
        using var reader = new BinaryReader(new MemoryStream(bytes));
        Assert.Throws<ArgumentException>(() => TensorState.LoadModule(reader, target));
    }

    private static void OptimizerKeepsTraining(Device device)
    {
        // Save after a few steps, load into a fresh model + optimizer on the same device, and check that the next step of the
        // loaded optimizer moves the loaded model's (live) parameters exactly as the original's next step moves its own.
        using var model = Model(3);
        model.to(device);
        using var optimizer = new AdamW(model.parameters(), 0.01);
        using var input = rand(new long[] { 4, 2, 6 }, device: device);
        void Step(RnnModel m, AdamW o)
        {
            using var scope = NewDisposeScope();
            var (logits, _) = m.Forward(input, m.InitialState(2, device));
            var loss = (logits * logits).mean();
            o.ZeroGrad();
            loss.backward();
            o.Step();
        }
        for (var i = 0; i < 3; i++) Step(model, optimizer);
        byte[] bytes;
        using (var stream = new MemoryStream())
        {
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) { model.save(writer); optimizer.Save(writer); }
            bytes = stream.ToArray();
        }
        using var loaded = Model(4);
        loaded.to(device);
        using var loadedOptimizer = new AdamW(loaded.parameters(), 0.01);
        using (var reader = new BinaryReader(new MemoryStream(bytes))) { TensorState.LoadModule(reader, loaded); loadedOptimizer.Load(reader); }
        Assert.Equal(3, loadedOptimizer.Steps);
        Step(model, optimizer);
        Step(loaded, loadedOptimizer);
        AssertSameValues(model, loaded);
    }

    [Fact]
    public void A_loaded_optimizer_continues_exactly_on_the_cpu() => OptimizerKeepsTraining(CPU);

    [CudaFact]
    public void A_loaded_optimizer_continues_exactly_on_cuda() => OptimizerKeepsTraining(new Device(DeviceType.CUDA, 0));
}
