using System.Security.Cryptography;
using System.Text;
using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Tasks;
using Tomlyn;
using Tomlyn.Model;

namespace RnnSearch.Coordinator.Studies;

/// <summary>
/// Reads study files (TOML). Unknown keys, wrong types and contradictions are errors that name the file and
/// key, so a typo never silently falls back to a default. Presets are the files in studies/ embedded in the build.
/// </summary>
public static class StudyFile
{
    private static readonly string[] TopKeys = ["name", "description", "tasks", "cells", "placements", "depths", "budgets", "specs", "seeds", "training", "tuning", "fidelity", "limits"];
    private static readonly string[] TrainingKeys = ["lr", "dropout", "weight_decay", "batch", "clip", "patience", "lr_patience", "bptt", "length", "max_batches_per_epoch"];
    private static readonly string[] TuningKeys = ["search", "draws", "lr", "dropout", "weight_decay", "batch", "search_seed", "seed", "parallel"];
    private static readonly string[] FidelityKeys = ["max_epochs", "asha", "min_epochs", "reduction_factor"];
    private static readonly string[] LimitKeys = ["trial_seconds", "max_attempts"];

    public static IReadOnlyList<string> PresetNames =>
        typeof(StudyFile).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("studies.", StringComparison.Ordinal) && n.EndsWith(".toml", StringComparison.Ordinal))
            .Select(n => n["studies.".Length..^".toml".Length]).Order().ToList();

    /// <summary>A path to a .toml file, or the name of a shipped preset.</summary>
    public static StudyDefinition Load(string studyOrPreset)
    {
        if (File.Exists(studyOrPreset)) return Parse(File.ReadAllText(studyOrPreset), studyOrPreset);
        if (studyOrPreset.EndsWith(".toml", StringComparison.OrdinalIgnoreCase))
            throw new StudyFileException($"study file {studyOrPreset} not found");
        var resource = $"studies.{studyOrPreset}.toml";
        using var stream = typeof(StudyFile).Assembly.GetManifestResourceStream(resource)
            ?? throw new StudyFileException($"unknown preset '{studyOrPreset}' and no such file; presets: {string.Join(", ", PresetNames)}");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), $"preset {studyOrPreset}");
    }

    public static StudyDefinition Parse(string text, string source)
    {
        TomlTable root;
        try
        {
            root = TomlSerializer.Deserialize<TomlTable>(text, new TomlSerializerOptions())
                   ?? throw new StudyFileException($"{source}: empty study file");
        }
        catch (TomlException e)
        {
            throw new StudyFileException($"{source}: invalid TOML: {FirstLine(e.Message)}");
        }
        var file = new Reader(source);
        file.OnlyKeys(root, TopKeys, "");
        var training = file.Table(root, "training");
        var tuning = file.Table(root, "tuning");
        var fidelity = file.Table(root, "fidelity");
        var limits = file.Table(root, "limits");
        file.OnlyKeys(training, TrainingKeys, "training.");
        file.OnlyKeys(tuning, TuningKeys, "tuning.");
        file.OnlyKeys(fidelity, FidelityKeys, "fidelity.");
        file.OnlyKeys(limits, LimitKeys, "limits.");

        var study = new StudyDefinition
        {
            Name = file.Name(root),
            Description = file.String(root, "description") ?? "",
            Tasks = file.Strings(root, "tasks") ?? throw new StudyFileException($"{source}: 'tasks' is required (e.g. tasks = [\"jsb\"])"),
            Cells = file.Strings(root, "cells") ?? [],
            Placements = file.Strings(root, "placements") ?? [],
            Depths = file.Integers(root, "depths")?.Select(d => (int)d).ToList() ?? [2],
            Budgets = file.Integers(root, "budgets") ?? [],
            Specs = file.Strings(root, "specs") ?? [],
            Seeds = file.Integers(root, "seeds") ?? throw new StudyFileException($"{source}: 'seeds' is required (e.g. seeds = [1, 2, 3])"),
            Training = new TrainingSettings
            {
                LearningRate = file.Number(training, "lr", "training."),
                Dropout = file.Number(training, "dropout", "training."),
                WeightDecay = file.Number(training, "weight_decay", "training."),
                BatchSize = (int?)file.Integer(training, "batch", "training."),
                ClipNorm = file.Number(training, "clip", "training."),
                Patience = (int?)file.Integer(training, "patience", "training."),
                LrPatience = (int?)file.Integer(training, "lr_patience", "training."),
                Bptt = (int?)file.Integer(training, "bptt", "training."),
                Length = (int?)file.Integer(training, "length", "training."),
                MaxBatchesPerEpoch = (int?)file.Integer(training, "max_batches_per_epoch", "training."),
            },
            Tuning = new TuningSettings
            {
                Search = file.Search(tuning),
                Draws = (int)(file.Integer(tuning, "draws", "tuning.") ?? 1),
                LearningRate = file.Range(tuning, "lr"),
                Dropout = file.Range(tuning, "dropout"),
                WeightDecay = file.Range(tuning, "weight_decay"),
                BatchSizes = file.Integers(tuning, "batch", "tuning.")?.Select(b => (int)b).ToList() ?? [],
                SearchSeed = file.Integer(tuning, "search_seed", "tuning.") ?? 12345,
                Seed = file.Integer(tuning, "seed", "tuning.") ?? TuningSettings.DefaultSeed,
                Parallel = (int)(file.Integer(tuning, "parallel", "tuning.") ?? 2),
            },
            Fidelity = new FidelitySettings
            {
                MaxEpochs = (int?)file.Integer(fidelity, "max_epochs", "fidelity."),
                Asha = file.Bool(fidelity, "asha", "fidelity.") ?? false,
                MinEpochs = (int)(file.Integer(fidelity, "min_epochs", "fidelity.") ?? 2),
                ReductionFactor = (int)(file.Integer(fidelity, "reduction_factor", "fidelity.") ?? 3),
            },
            Limits = new LimitSettings
            {
                TrialSeconds = file.Number(limits, "trial_seconds", "limits."),
                MaxAttempts = (int)(file.Integer(limits, "max_attempts", "limits.") ?? 5),
            },
            FileHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))),
            SourceText = text,
        };
        Validate(study, source);
        return study;
    }

    private static void Validate(StudyDefinition s, string source)
    {
        void Fail(string message) => throw new StudyFileException($"{source}: {message}");
        foreach (var task in s.Tasks)
            if (!TaskCatalog.TryGet(task, out _)) Fail($"tasks: unknown task '{task}'; allowed: {string.Join(", ", TaskCatalog.Names)}");
        if (s.Tasks.Count == 0) Fail("tasks: at least one task is required");
        foreach (var cell in s.Cells)
            if (cell.ToUpperInvariant() is not ("RNN" or "GRU" or "LSTM")) Fail($"cells: unknown cell '{cell}'; allowed: RNN, GRU, LSTM");
        foreach (var placement in s.Placements)
            if (!PlacementFamilyNames.TryParse(placement, out var family) || family == PlacementFamily.Combined)
                Fail($"placements: unknown placement '{placement}'; allowed: {string.Join(", ", PlacementFamilyNames.All.Where(n => n != "combined"))}");
        if (s.Placements.Count > 0 && s.Cells.Count == 0) Fail("placements need cells (e.g. cells = [\"LSTM\"])");
        if (s.Placements.Count > 0 && s.Budgets.Count == 0) Fail("placements need budgets: candidates are compared at equal parameter counts");
        if (s.Placements.Count == 0 && s.Specs.Count == 0) Fail("nothing to run: give placements (with cells and budgets) or specs");
        foreach (var depth in s.Depths) if (depth is < 2 or > ArchSpec.MaxDepth) Fail($"depths: {depth} is not allowed; allowed: integers from 2 to {ArchSpec.MaxDepth}");
        foreach (var budget in s.Budgets) if (budget < 100) Fail($"budgets: {budget} is too small; allowed: parameter counts >= 100");
        foreach (var entry in s.Specs)
        {
            var (spec, onlyTask) = CandidateGenerator.SplitTask(entry);
            if (onlyTask is not null && !s.Tasks.Contains(onlyTask, StringComparer.OrdinalIgnoreCase))
                Fail($"specs: '{entry}' names task '{onlyTask}', which is not in tasks");
            try { ArchSpecParser.Parse(spec); }
            catch (SpecException e) { Fail($"specs: '{entry}': {e.Message}"); }
        }
        if (s.Specs.Any(entry => ArchSpecParser.Parse(CandidateGenerator.SplitTask(entry).Spec).Hidden is null) && s.Budgets.Count == 0)
            Fail("specs without hidden need budgets to solve their size");
        if (s.Seeds.Count == 0) Fail("seeds: at least one seed is required");
        if (s.Seeds.Distinct().Count() != s.Seeds.Count) Fail("seeds: every seed must be different");
        var t = s.Training;
        if (t.LearningRate is { } rate && !(rate > 0 && double.IsFinite(rate))) Fail("training.lr must be > 0");
        if (t.Dropout is < 0 or >= 1) Fail("training.dropout must be in [0, 1)");
        if (t.WeightDecay < 0) Fail("training.weight_decay must be >= 0");
        if (t.BatchSize < 1) Fail("training.batch must be >= 1");
        if (t.ClipNorm is { } clip && !(clip > 0)) Fail("training.clip must be > 0");
        if (t.LrPatience is < 0) Fail("training.lr_patience must be >= 1 (or 0 for a constant learning rate)");
        if (t.Patience < 1) Fail("training.patience must be >= 1");
        if (t.Bptt is < 1) Fail("training.bptt must be >= 1");
        if (t.Length is < 2) Fail("training.length must be >= 2");
        if (t.MaxBatchesPerEpoch is < 1) Fail("training.max_batches_per_epoch must be >= 1");
        var u = s.Tuning;
        if (u.Search == SearchKind.None && u.Draws != 1) Fail("tuning.draws needs tuning.search = \"random\" or \"tpe\"");
        if (u.Search != SearchKind.None)
        {
            if (u.Draws < 2) Fail("tuning.draws must be >= 2 when tuning");
            if (u.LearningRate is null && u.Dropout is null && u.WeightDecay is null && u.BatchSizes.Count == 0)
                Fail("tuning has no range to search: give lr, dropout, weight_decay or batch");
            if (s.Seeds.Contains(u.Seed))
                Fail($"tuning.seed {u.Seed}{(u.Seed == TuningSettings.DefaultSeed ? " (the default)" : "")} is also in seeds {Brackets(s.Seeds)}: " +
                     "tuning and final seeds must be disjoint so that no final trial repeats a tuning run; change seeds or set tuning.seed");
            if (u.Parallel < 1) Fail("tuning.parallel must be >= 1");
            if (u.Search == SearchKind.Tpe && u.Parallel >= u.Draws)
                Fail($"tuning.parallel = {u.Parallel} leaves tpe no result to learn from with {u.Draws} draws: draw k uses draws 0..k-parallel; use parallel < draws");
        }
        if (u.LearningRate is { } lr && !(lr.Low > 0 && lr.High >= lr.Low)) Fail("tuning.lr must be [low, high] with 0 < low <= high");
        if (u.Dropout is { } dr && !(dr.Low >= 0 && dr.High < 1 && dr.High >= dr.Low)) Fail("tuning.dropout must be [low, high] within [0, 1)");
        if (u.WeightDecay is { } wd && !(wd.Low >= 0 && wd.High >= wd.Low)) Fail("tuning.weight_decay must be [low, high] with 0 <= low <= high");
        if (u.BatchSizes.Any(b => b < 1)) Fail("tuning.batch sizes must be >= 1");
        var f = s.Fidelity;
        if (f.MaxEpochs < 1) Fail("fidelity.max_epochs must be >= 1");
        if (f.Asha && u.Search == SearchKind.None) Fail("fidelity.asha stops weak tuning draws and needs tuning.search = \"random\" or \"tpe\"");
        if (f.MinEpochs < 1 || f.MinEpochs > s.MaxEpochs) Fail("fidelity.min_epochs must be from 1 to max_epochs");
        if (f.ReductionFactor < 2) Fail("fidelity.reduction_factor must be >= 2");
        if (s.Limits.TrialSeconds is <= 0) Fail("limits.trial_seconds must be > 0");
        if (s.Limits.MaxAttempts < 1) Fail("limits.max_attempts must be >= 1");
    }

    private static string Brackets(IEnumerable<long> values) => $"[{string.Join(", ", values)}]";

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? text;

    /// <summary>Typed access to a TOML table with errors that name the file and the key.</summary>
    private sealed class Reader(string source)
    {
        public void OnlyKeys(TomlTable table, string[] allowed, string prefix)
        {
            foreach (var key in table.Keys)
                if (!allowed.Contains(key))
                    throw new StudyFileException($"{source}: unknown key '{prefix}{key}'; allowed: {string.Join(", ", allowed.Select(k => prefix + k))}");
        }

        public TomlTable Table(TomlTable root, string key) => root.TryGetValue(key, out var value)
            ? value as TomlTable ?? throw new StudyFileException($"{source}: '{key}' must be a table ([{key}])")
            : new TomlTable();

        public string Name(TomlTable root)
        {
            var name = String(root, "name") ?? throw new StudyFileException($"{source}: 'name' is required");
            if (name.Length == 0 || name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                throw new StudyFileException($"{source}: name '{name}' must be 1-64 letters, digits, '-' or '_'");
            return name;
        }

        public string? String(TomlTable table, string key, string prefix = "") => table.TryGetValue(key, out var value)
            ? value as string ?? throw Type(prefix + key, "a string")
            : null;

        public long? Integer(TomlTable table, string key, string prefix = "") => table.TryGetValue(key, out var value)
            ? value is long l ? l : throw Type(prefix + key, "an integer")
            : null;

        public double? Number(TomlTable table, string key, string prefix = "") => table.TryGetValue(key, out var value)
            ? value switch { double d => d, long l => l, _ => throw Type(prefix + key, "a number") }
            : null;

        public bool? Bool(TomlTable table, string key, string prefix = "") => table.TryGetValue(key, out var value)
            ? value is bool b ? b : throw Type(prefix + key, "true or false")
            : null;

        public IReadOnlyList<string>? Strings(TomlTable table, string key, string prefix = "") => table.TryGetValue(key, out var value)
            ? value is TomlArray array && array.All(v => v is string) ? array.Cast<string>().ToList() : throw Type(prefix + key, "an array of strings")
            : null;

        public IReadOnlyList<long>? Integers(TomlTable table, string key, string prefix = "") => table.TryGetValue(key, out var value)
            ? value is TomlArray array && array.All(v => v is long) ? array.Cast<long>().ToList() : throw Type(prefix + key, "an array of integers")
            : null;

        public (double, double)? Range(TomlTable table, string key)
        {
            if (!table.TryGetValue(key, out var value)) return null;
            if (value is TomlArray { Count: 2 } array && array.All(v => v is double or long))
                return (Convert.ToDouble(array[0]), Convert.ToDouble(array[1]));
            throw Type("tuning." + key, "a range [low, high]");
        }

        public SearchKind Search(TomlTable tuning) => (String(tuning, "search", "tuning.") ?? "none").ToLowerInvariant() switch
        {
            "none" => SearchKind.None,
            "random" => SearchKind.Random,
            "tpe" => SearchKind.Tpe,
            var other => throw new StudyFileException($"{source}: tuning.search = \"{other}\" is not allowed; allowed: none, random, tpe"),
        };

        private StudyFileException Type(string key, string expected) => new($"{source}: '{key}' must be {expected}");
    }
}
