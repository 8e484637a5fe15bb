using RnnSearch.Shared.Architecture;

namespace RnnSearch.TrainerNode.Models;

/// <summary>Builds the recurrent layer a spec asks for; mirrors Shared's ModelLayout tensor for tensor.</summary>
internal static class LayerFactory
{
    public static SequenceLayer Create(ArchSpec spec, long input)
    {
        var d = spec.RequireHidden();
        var memory = spec.Cell == CellType.Lstm;
        if (spec.IsHighway) return new HighwayLayer(input, d, spec.TransitionDepth);
        if (spec.HasMicroSteps)
            return new MicroStepLayer(Enumerable.Range(0, spec.TransitionDepth).Select(j => Cell(spec, j == 0 ? input : 0)), memory);
        return new CellLayer(Cell(spec, input), memory);
    }

    private static StepCell Cell(ArchSpec spec, long input)
    {
        var readout = Readout(spec);
        if (spec.HasMlpTrunk) return new TrunkCell(spec, input, readout);
        if (spec.GateDepth > 1) return new GateMlpCell(spec, input, readout);
        return new PlainCell(spec.Cell, input, spec.RequireHidden(), readout);
    }

    /// <summary>LSTM readout MLP_k from d back to d (hidden layers of width w); no dropout inside the recurrence.</summary>
    private static Mlp? Readout(ArchSpec spec)
    {
        if (spec.ReadoutDepth == 0) return null;
        var d = spec.RequireHidden();
        var widths = Enumerable.Range(0, spec.ReadoutDepth).Select(i => i == spec.ReadoutDepth - 1 ? (long)d : spec.EffectiveWidth).ToList();
        return new Mlp(d, widths, spec.Act, spec.LayerNorm);
    }
}
