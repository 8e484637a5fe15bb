using RnnSearch.Shared.Protocol;
using RnnSearch.Shared.Architecture;
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
        // Every training option defaults to the task's recipe (TrainingRecipes; README "Default recipes").
        var epochs = new Option<int?>("--epochs") { Description = "maximum epochs (default: the task's recipe)" };
        var lr = new Option<double?>("--lr") { Description = "AdamW learning rate at the start (default: the task's recipe)" };
        var lrPatience = new Option<string?>("--lr-patience") { Description = "halve the learning rate after N epochs without a better validation metric, or 'off' (default: the task's recipe)" };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "AdamW decoupled weight decay (default: the task's recipe)" };
        var batch = new Option<int?>("--batch") { Description = "sequences (or stream rows) per batch (default: the task's recipe)" };
        var dropout = new Option<double?>("--dropout") { Description = "dropout rate, unless the spec sets dropout (default: the task's recipe)" };
        var bptt = new Option<int?>("--bptt") { Description = "truncated-BPTT window (default: the task's recipe)" };
        var clip = new Option<double?>("--clip") { Description = "gradient clipping by global norm (default: the task's recipe)" };
        var patience = new Option<int?>("--patience") { Description = "early stopping: epochs without a better validation metric (default: the task's recipe)" };
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
            task, spec, budget, epochs, lr, lrPatience, weightDecay, batch, dropout, bptt, clip, patience, maxSeconds, maxBatches, length, seed, threads, device, checkpointDir, dataDir, generic, json, libtorch,
        };
        command.SetAction(result =>
        {
            TorchBackend.Initialize(result.GetValue(libtorch));
            TorchRuntime.SetThreads(result.GetValue(threads));
            var taskName = result.GetValue(task)!;
            var recipe = TrainingRecipes.For(taskName);
            var config = new TrialConfig
            {
                Task = taskName, Spec = WithDropout(result.GetValue(spec)!, result.GetValue(dropout) ?? recipe.Dropout), Budget = result.GetValue(budget),
                MaxEpochs = result.GetValue(epochs) ?? recipe.Epochs, LearningRate = result.GetValue(lr) ?? recipe.LearningRate,
                LrPatience = ParseLrPatience(result.GetValue(lrPatience), recipe.LrPatience), WeightDecay = result.GetValue(weightDecay) ?? recipe.WeightDecay,
                BatchSize = result.GetValue(batch) ?? recipe.BatchSize, Bptt = result.GetValue(bptt) ?? recipe.Bptt,
                ClipNorm = result.GetValue(clip) ?? recipe.ClipNorm, Patience = result.GetValue(patience) ?? recipe.Patience, MaxWallSeconds = result.GetValue(maxSeconds),
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

    /// <summary>The spec with the recipe's (or --dropout's) rate, unless the spec names its own dropout.</summary>
    private static string WithDropout(string spec, double dropout)
    {
        var parsed = ArchSpecParser.Parse(spec);
        if (spec.Contains("dropout=", StringComparison.OrdinalIgnoreCase)) return spec;
        if (dropout is < 0 or >= 1 || double.IsNaN(dropout)) throw new ArgumentException($"--dropout {dropout}: must be in [0, 1)");
        return (parsed with { Dropout = dropout }).Validate().ToString();
    }

    private static int? ParseLrPatience(string? text, int recipe) => text switch
    {
        null => recipe,
        "off" => null,
        _ when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 => n,
        _ => throw new ArgumentException($"--lr-patience {text}: must be an integer >= 1 or 'off'"),
    };

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
