using RnnSearch.Shared.Tasks;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RnnSearch.TrainerNode.Training;

namespace RnnSearch.TrainerNode.Cli;

/// <summary><c>train --task jsb --spec "LSTM:hidden=150" [...]</c>: one trial on this machine, printed as text or JSON.</summary>
internal static class TrainCommand
{
    public static Command Create(ILoggerFactory logs)
    {
        var task = new Option<string>("--task") { Description = "jsb, nottingham, musedata, piano, ptb-word, ptb-char, adding, copy", Required = true };
        var spec = new Option<string>("--spec") { Description = "architecture spec, e.g. \"LSTM:hidden=150\"", Required = true };
        var budget = new Option<long?>("--budget") { Description = "solve the hidden size for this parameter count (±1 %)" };
        var epochs = new Option<int>("--epochs") { Description = "maximum epochs", DefaultValueFactory = _ => 50 };
        var lr = new Option<double>("--lr") { Description = "AdamW learning rate", DefaultValueFactory = _ => 0.003 };
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW decoupled weight decay", DefaultValueFactory = _ => 0.0 };
        var batch = new Option<int>("--batch") { Description = "sequences (or stream rows) per batch", DefaultValueFactory = _ => 16 };
        var bptt = new Option<int?>("--bptt") { Description = "truncated-BPTT window (default per task: music 200, ptb-word 35, ptb-char 100)" };
        var clip = new Option<double>("--clip") { Description = "gradient clipping by global norm", DefaultValueFactory = _ => 1.0 };
        var patience = new Option<int>("--patience") { Description = "early stopping: epochs without a better validation metric", DefaultValueFactory = _ => 8 };
        var maxSeconds = new Option<double?>("--max-seconds") { Description = "wall-time limit of the trial" };
        var maxBatches = new Option<int?>("--max-batches") { Description = "train on at most N windows per epoch" };
        var length = new Option<int?>("--length") { Description = "sequence length / lag T of the adding and copy tasks" };
        var seed = new Option<long>("--seed") { Description = "random seed (initialisation, shuffling, dropout)", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "torch intra-op threads", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount) };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };
        var checkpointDir = new Option<string?>("--checkpoint-dir") { Description = "write a checkpoint here each epoch and resume from it" };
        var dataDir = new Option<string?>("--data-dir") { Description = "benchmark data folder (default: RNNSEARCH_DATA, else the repository's data/)" };
        var generic = new Option<bool>("--generic") { Description = "run plain specs on the generic layers instead of the built-in module" };
        var json = new Option<bool>("--json") { Description = "print the result as JSON" };
        var libtorch = LibTorchOption.Create();
        var command = new Command("train", "Train one trial and print its result")
        {
            task, spec, budget, epochs, lr, weightDecay, batch, bptt, clip, patience, maxSeconds, maxBatches, length, seed, threads, device, checkpointDir, dataDir, generic, json, libtorch,
        };
        command.SetAction(result =>
        {
            TorchBackend.Initialize(result.GetValue(libtorch));
            TorchRuntime.SetThreads(result.GetValue(threads));
            var config = new TrialConfig
            {
                Task = result.GetValue(task)!, Spec = result.GetValue(spec)!, Budget = result.GetValue(budget), MaxEpochs = result.GetValue(epochs),
                LearningRate = result.GetValue(lr), WeightDecay = result.GetValue(weightDecay), BatchSize = result.GetValue(batch), Bptt = result.GetValue(bptt),
                ClipNorm = result.GetValue(clip), Patience = result.GetValue(patience), MaxWallSeconds = result.GetValue(maxSeconds),
                MaxBatchesPerEpoch = result.GetValue(maxBatches), Length = result.GetValue(length), Seed = result.GetValue(seed),
                Device = result.GetValue(device)!, CheckpointDirectory = result.GetValue(checkpointDir), DataDirectory = result.GetValue(dataDir),
                PreferBuiltin = !result.GetValue(generic),
            };
            var asJson = result.GetValue(json);
            var runner = new TrialRunner(asJson ? null : logs.CreateLogger("trial"));
            var outcome = runner.Run(config);
            Console.WriteLine(asJson ? JsonSerializer.Serialize(outcome, new JsonSerializerOptions { WriteIndented = true }) : Summary(outcome));
            return outcome.Status == TrialStatus.Failed ? 1 : 0;
        });
        return command;
    }

    private static string Summary(TrialResult r)
    {
        var c = CultureInfo.InvariantCulture;
        return string.Join(Environment.NewLine,
            $"spec         {r.Spec}",
            $"task         {r.Task} (params {r.Params.ToString("N0", c)}, seed {r.Seed}, device {r.Device})",
            $"status       {r.Status} after {r.Epochs} epochs, {r.TrainSeconds.ToString("F1", c)} s",
            $"best epoch   {r.BestEpoch}",
            $"valid {r.MetricName,-6} {r.ValidMetric?.ToString("F4", c) ?? "-"}",
            $"test {r.MetricName,-7} {r.TestMetric?.ToString("F4", c) ?? "-"}");
    }
}
