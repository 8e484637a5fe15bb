using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Measures;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Coordinator.Studies;

/// <summary>
/// Expands a study into candidates: task × budget × cell × placement × depth, each spec solved to the budget
/// (±1 %), plus the explicit specs. "Depth k" means k non-linear layers where the baseline has one:
/// stack → layers=k, deep-input → input_depth=k−1, deep-transition(-shortcut) → transition_depth=k (mlp),
/// micro-steps → transition=micro, highway → RHN-k, deep-readout → readout_depth=k−1, deep-gates → gate_depth=k,
/// deep-output → output_depth=k−1. Placements a cell cannot have (readout without LSTM, gates on RNN,
/// highway on GRU/LSTM) are skipped and listed in <see cref="Expansion.Skipped"/>.
/// </summary>
public static class CandidateGenerator
{
    public sealed record Expansion(IReadOnlyList<Candidate> Candidates, IReadOnlyList<string> Skipped);

    public static Expansion Expand(StudyDefinition study)
    {
        var candidates = new List<Candidate>();
        var skipped = new List<string>();
        var seen = new HashSet<(string, string)>();
        foreach (var task in study.Tasks)
        {
            var shape = TaskCatalog.Get(task).Shape;
            foreach (var budget in study.Placements.Count > 0 ? study.Budgets : [])
            foreach (var cellName in study.Cells)
            {
                var cell = ArchSpecParser.Parse(cellName).Cell;
                foreach (var placement in study.Placements)
                {
                    PlacementFamilyNames.TryParse(placement, out var family);
                    foreach (var depth in family == PlacementFamily.Baseline ? [1] : study.Depths)
                    {
                        var spec = SpecFor(cell, family, depth);
                        if (spec is null)
                        {
                            skipped.Add($"{cell.Name()} {placement} (not defined for this cell)");
                            break;
                        }
                        Add(task, shape, spec, budget, family.Name(), depth);
                    }
                }
            }
            foreach (var text in study.Specs)
            {
                var (specText, onlyTask) = SplitTask(text);
                if (onlyTask is not null && !onlyTask.Equals(task, StringComparison.OrdinalIgnoreCase)) continue;
                var spec = ArchSpecParser.Parse(specText);
                if (spec.Hidden is not null) Add(task, shape, spec, null, spec.Family.Name(), DepthOf(spec));
                else foreach (var budget in study.Budgets) Add(task, shape, spec, budget, spec.Family.Name(), DepthOf(spec));
            }
        }
        return new Expansion(candidates, skipped.Distinct().ToList());

        void Add(string task, TaskShape shape, ArchSpec spec, long? budget, string family, int depth)
        {
            ArchSpec solved;
            try
            {
                solved = budget is { } b && spec.Hidden is null ? BudgetSolver.Solve(spec, shape, b) : spec;
            }
            catch (SpecException e)
            {
                throw new StudyFileException($"study {study.Name}: task {task}: {e.Message}");
            }
            if (!seen.Add((task, solved.ToString()))) return;
            candidates.Add(new Candidate
            {
                Id = candidates.Count + 1, Task = task, Cell = solved.Cell.Name(), Family = family, Depth = depth, Budget = budget,
                Spec = solved.ToString(), Params = ModelLayout.Total(solved, shape),
            });
        }
    }

    /// <summary>"SPEC@task" restricts an explicit spec to one task (paper sizes differ per data set).</summary>
    public static (string Spec, string? Task) SplitTask(string text)
    {
        var at = text.LastIndexOf('@');
        return at < 0 ? (text, null) : (text[..at], text[(at + 1)..]);
    }

    public static ArchSpec? SpecFor(CellType cell, PlacementFamily family, int depth)
    {
        var spec = new ArchSpec { Cell = cell };
        return family switch
        {
            PlacementFamily.Baseline => spec,
            PlacementFamily.Stack => spec with { Layers = depth },
            PlacementFamily.DeepInput => spec with { InputDepth = depth - 1 },
            PlacementFamily.DeepTransition => spec with { TransitionDepth = depth },
            PlacementFamily.DeepTransitionShortcut => spec with { TransitionDepth = depth, Shortcut = true },
            PlacementFamily.MicroSteps => spec with { TransitionDepth = depth, Transition = TransitionKind.Micro },
            PlacementFamily.Highway => cell == CellType.Rnn ? spec with { TransitionDepth = depth, Transition = TransitionKind.Highway } : null,
            PlacementFamily.DeepReadout => cell == CellType.Lstm ? spec with { ReadoutDepth = depth - 1 } : null,
            PlacementFamily.DeepGates => cell != CellType.Rnn ? spec with { GateDepth = depth } : null,
            PlacementFamily.DeepOutput => spec with { OutputDepth = depth - 1 },
            _ => null,
        };
    }

    /// <summary>The depth label of an explicit spec: the deepest placement it uses (1 for a baseline).</summary>
    public static int DepthOf(ArchSpec spec) => new[]
    {
        1, spec.Layers, spec.InputDepth + 1, spec.TransitionDepth, spec.ReadoutDepth + 1, spec.GateDepth, spec.OutputDepth + 1,
    }.Max();
}
