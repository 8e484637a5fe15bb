using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Measures;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Coordinator.Cli;

/// <summary><c>describe "SPEC" --input 88 --output 88 [--budget N] [--task T] [--tokens] [--json]</c>: the analytic measures of one spec.</summary>
public static class DescribeCommand
{
    public static Command Create()
    {
        var spec = new Argument<string>("spec") { Description = "architecture spec, e.g. \"LSTM:hidden=128\" or \"DT(S)-RNN\"" };
        var input = new Option<int?>("--input") { Description = "input size (dense features, or vocabulary size with --tokens); default 88" };
        var output = new Option<int?>("--output") { Description = "output size; default 88" };
        var tokens = new Option<bool>("--tokens") { Description = "the input is a token id embedded to the hidden size" };
        var task = new Option<string?>("--task") { Description = "take input/output sizes from a task: " + string.Join(", ", TaskCatalog.Names) };
        var budget = new Option<long?>("--budget") { Description = "solve the hidden size for this many parameters (±1 %)" };
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var command = new Command("describe", "Parameters, FLOPs and depth measures of an architecture spec") { spec, input, output, tokens, task, budget, json };
        command.SetAction(result =>
        {
            var shape = ResolveShape(result.GetValue(task), result.GetValue(input), result.GetValue(output), result.GetValue(tokens));
            var parsed = ArchSpecParser.Parse(result.GetValue(spec));
            if (result.GetValue(budget) is { } n) parsed = BudgetSolver.Solve(parsed, shape, n);
            else if (parsed.Hidden is null) throw new SpecException($"spec '{parsed}' has no hidden size: add hidden=N or --budget N");
            var measures = ArchitectureMeasures.Compute(parsed, shape);
            Console.WriteLine(result.GetValue(json) ? JsonSerializer.Serialize(measures, JsonOptions.Indented) : Format(measures));
            return 0;
        });
        return command;
    }

    internal static TaskShape ResolveShape(string? task, int? input, int? output, bool tokens)
    {
        if (task is not null)
        {
            if (input is not null || output is not null || tokens)
                throw new CliError("--task sets the input/output sizes; do not combine it with --input, --output or --tokens");
            return TaskCatalog.TryGet(task, out var info) ? info!.Shape
                : throw new CliError($"unknown task '{task}'; allowed: {string.Join(", ", TaskCatalog.Names)}");
        }
        var n = input ?? TaskCatalog.PianoKeys;
        var m = output ?? TaskCatalog.PianoKeys;
        if (n < 1) throw new CliError($"--input {n} is not allowed; allowed: an integer >= 1");
        if (m < 1) throw new CliError($"--output {m} is not allowed; allowed: an integer >= 1");
        return new TaskShape(n, m, tokens, tokens ? OutputKind.Categorical : OutputKind.Bernoulli);
    }

    private static string Format(ArchitectureMeasures m)
    {
        var c = CultureInfo.InvariantCulture;
        return string.Join(Environment.NewLine,
            $"spec                 {m.Spec}",
            $"family               {m.Family}",
            $"hidden / width       {m.Hidden} / {m.Width}",
            $"params               {m.Params.ToString("N0", c)}",
            $"recurrent params     {m.RecurrentParams.ToString("N0", c)}",
            $"FLOPs per step       {m.FlopsPerStep.ToString("N0", c)}",
            $"d_r (recurrent)      {m.RecurrentDepth.ToString(c)}",
            $"d_f (feed-forward)   {m.FeedForwardDepth.ToString(c)}",
            $"skip coefficient     {m.SkipCoefficient.ToString(c)}",
            $"h(t-1) -> h(t)       {m.RecurrentPathMin}..{m.RecurrentPathMax} non-linearities",
            $"x(t) -> y(t)         {m.InputOutputPathMin}..{m.InputOutputPathMax} non-linearities",
            $"sequential matmuls   {m.SequentialMatmuls} per step");
    }
}
