using RnnSearch.Shared.Architecture;

namespace RnnSearch.Shared.Tests;

public class SpecGrammarTests
{
    [Theory]
    [InlineData("RNN", "RNN")]
    [InlineData("LSTM:hidden=150", "LSTM:hidden=150")]
    [InlineData("lstm : hidden = 150 , layers=2", "LSTM:hidden=150,layers=2")]
    [InlineData("sLSTM-2", "LSTM:layers=2")]
    [InlineData("sRNN", "RNN:layers=2")]
    [InlineData("sGRU-4:hidden=64", "GRU:hidden=64,layers=4")]
    [InlineData("DT-RNN", "RNN:transition_depth=2")]
    [InlineData("DT(S)-RNN", "RNN:transition_depth=2,shortcut=true")]
    [InlineData("DOT-RNN", "RNN:transition_depth=2,output_depth=1")]
    [InlineData("DOT(S)-RNN", "RNN:transition_depth=2,shortcut=true,output_depth=1")]
    [InlineData("DT(S)-LSTM", "LSTM:transition_depth=2,shortcut=true")]
    [InlineData("DOT-GRU", "GRU:transition_depth=2,output_depth=1")]
    [InlineData("DI-LSTM", "LSTM:input_depth=1")]
    [InlineData("DO-GRU", "GRU:output_depth=1")]
    [InlineData("DI-DO-RNN", "RNN:input_depth=1,output_depth=1")]
    [InlineData("RHN-5", "RNN:transition_depth=5,transition=highway")]
    [InlineData("RHN-5:hidden=128", "RNN:hidden=128,transition_depth=5,transition=highway")]
    [InlineData("DT(S)-RNN:transition_depth=3", "RNN:transition_depth=3,shortcut=true")]
    [InlineData("LSTM:dropout=0.25,act=relu,output_depth=2,width=64,layer_norm=true", "LSTM:output_depth=2,width=64,act=relu,layer_norm=true,dropout=0.25")]
    [InlineData("LSTM:transition=micro,transition_depth=3,gate_depth=2,readout_depth=1", "LSTM:transition_depth=3,transition=micro,readout_depth=1,gate_depth=2")]
    public void Named_and_keyed_specs_parse_to_the_canonical_form(string text, string canonical)
    {
        var spec = ArchSpecParser.Parse(text);
        Assert.Equal(canonical, spec.ToString());
        Assert.Equal(spec, ArchSpecParser.Parse(spec.ToString()));
    }

    [Fact]
    public void Every_example_name_parses()
    {
        foreach (var name in NamedArchitectures.Examples)
            Assert.Equal(ArchSpecParser.Parse(name), ArchSpecParser.Parse(ArchSpecParser.Parse(name).ToString()));
    }

    [Theory]
    [InlineData("RNN", PlacementFamily.Baseline)]
    [InlineData("LSTM:hidden=10,dropout=0.5", PlacementFamily.Baseline)]
    [InlineData("sLSTM-2", PlacementFamily.Stack)]
    [InlineData("LSTM:layers=3,residual=true", PlacementFamily.Stack)]
    [InlineData("DI-LSTM", PlacementFamily.DeepInput)]
    [InlineData("DT-RNN", PlacementFamily.DeepTransition)]
    [InlineData("DT(S)-GRU", PlacementFamily.DeepTransitionShortcut)]
    [InlineData("LSTM:transition=micro,transition_depth=2", PlacementFamily.MicroSteps)]
    [InlineData("RHN-3", PlacementFamily.Highway)]
    [InlineData("RHN-1", PlacementFamily.Highway)]
    [InlineData("LSTM:readout_depth=1", PlacementFamily.DeepReadout)]
    [InlineData("GRU:gate_depth=2", PlacementFamily.DeepGates)]
    [InlineData("DO-LSTM", PlacementFamily.DeepOutput)]
    [InlineData("DOT(S)-RNN", PlacementFamily.Combined)]
    [InlineData("LSTM:layers=2,input_depth=1", PlacementFamily.Combined)]
    public void Each_spec_reports_its_placement_family(string text, PlacementFamily family) =>
        Assert.Equal(family, ArchSpecParser.Parse(text).Family);

    [Theory]
    [InlineData("", "empty spec")]
    [InlineData("TCN", "unknown cell or architecture 'TCN'")]
    [InlineData("LSTM:hiden=5", "unknown key 'hiden'")]
    [InlineData("LSTM:hidden=-3", "hidden=-3 is not allowed")]
    [InlineData("LSTM:hidden=abc", "hidden=abc is not allowed")]
    [InlineData("LSTM:hidden=5,hidden=6", "key 'hidden' is given twice")]
    [InlineData("LSTM:dropout=1.5", "dropout=1.5 is not allowed")]
    [InlineData("LSTM:act=swish,output_depth=1", "act=swish is not allowed; allowed: tanh, relu, gelu")]
    [InlineData("LSTM:transition=deep", "transition=deep is not allowed; allowed: mlp, micro, highway")]
    [InlineData("LSTM:residual=yes,layers=2", "residual=yes is not allowed; allowed: true, false")]
    [InlineData("GRU:readout_depth=1", "readout_depth=1 needs cell LSTM")]
    [InlineData("RNN:gate_depth=2", "gate_depth > 1 needs a gated cell")]
    [InlineData("LSTM:residual=true", "residual=true needs layers >= 2")]
    [InlineData("LSTM:skip=true", "skip=true needs layers >= 2")]
    [InlineData("LSTM:shortcut=true", "shortcut=true needs transition=mlp")]
    [InlineData("LSTM:transition=micro", "transition=micro needs transition_depth >= 2")]
    [InlineData("LSTM:transition=highway,transition_depth=2", "transition=highway is the Recurrent Highway Network and needs cell RNN")]
    [InlineData("LSTM:gate_depth=2,transition_depth=2", "gate_depth > 1 cannot be combined")]
    [InlineData("LSTM:width=64", "width is set but the spec has no MLP")]
    [InlineData("LSTM:layer_norm=true", "layer_norm=true is set but the spec has no MLP")]
    [InlineData("LSTM:act=relu", "act is set but the spec has no MLP")]
    [InlineData("LSTM:", "nothing after ':'")]
    [InlineData("LSTM:hidden", "'hidden' is not key=value")]
    [InlineData("LSTM:layers=65", "layers=65 is not allowed; allowed: an integer from 1 to 64")]
    [InlineData("sLSTM-0", "must be an integer >= 1")]
    public void Bad_specs_are_rejected_with_a_message_naming_the_problem(string text, string expected)
    {
        var error = Assert.Throws<SpecException>(() => ArchSpecParser.Parse(text));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Random_strings_never_throw_anything_but_a_spec_error()
    {
        var random = new Random(12345);
        const string alphabet = "RNGUSTLDOHI()-:=,._0123456789 abcdefhilmnoprstuwxyz";
        var fragments = ArchSpecParser.Keys.Concat(["RNN", "LSTM", "GRU", "DT(S)-", "RHN-", "true", "false", "mlp", "micro", ":", ",", "=", "-1", "0.5", "999999999999"]).ToArray();
        for (var i = 0; i < 20_000; i++)
        {
            var text = i % 2 == 0
                ? new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray())
                : string.Concat(Enumerable.Range(0, random.Next(1, 8)).Select(_ => fragments[random.Next(fragments.Length)]));
            try
            {
                var spec = ArchSpecParser.Parse(text);
                Assert.Equal(spec, ArchSpecParser.Parse(spec.ToString()));
            }
            catch (SpecException)
            {
            }
        }
    }

    [Fact]
    public void Canonical_form_round_trips_over_a_grid_of_valid_specs()
    {
        var count = 0;
        foreach (var spec in SpecGrid.Valid())
        {
            Assert.Equal(spec, ArchSpecParser.Parse(spec.ToString()));
            count++;
        }
        Assert.True(count > 500, $"grid has only {count} valid specs");
    }
}
