using System.Net;
using System.Net.Sockets;

namespace RnnSearch.Cluster.Tests;

/// <summary>Bad input to the real programs: one clear "error:" line naming the problem, exit code 2, nothing written.</summary>
public class BadInputTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static void AssertOneLineError((int Code, string Out, string Err) result, string expected)
    {
        Assert.Equal(2, result.Code);
        var lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one line on stderr, got:\n" + result.Err);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
    }

    private static string Temp()
    {
        var path = Path.Combine(Path.GetTempPath(), "rnnsearch-badinput", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    [Theory]
    [InlineData("LSTM:hidden=abc", "hidden=abc is not allowed")]
    [InlineData("TCN:hidden=3", "unknown cell or architecture 'TCN'")]
    [InlineData("GRU:hidden=8,readout_depth=2", "readout_depth=2 needs cell LSTM")]
    public void Malformed_specs(string spec, string expected) =>
        AssertOneLineError(CliRun.Run(Programs.Coordinator, Limit, "describe", spec), expected);

    [Fact]
    public void Unknown_cli_options_and_bad_values()
    {
        AssertOneLineError(CliRun.Run(Programs.Coordinator, Limit, "describe", "LSTM:hidden=4", "--input", "zero"), "zero");
        AssertOneLineError(CliRun.Run(Programs.Coordinator, Limit, "run", "quick", "--frobnicate"), "--frobnicate");
        AssertOneLineError(CliRun.Run(Programs.Trainer, Limit, "train", "--task", "jsb", "--spec", "LSTM:hidden=4", "--lr", "-1"), "--lr -1");
        AssertOneLineError(CliRun.Run(Programs.Coordinator, Limit, "bench", "asha", "--db", "/nonexistent/store.db"), "/nonexistent/store.db: no such store");
        AssertOneLineError(CliRun.Run(Programs.Coordinator, Limit, "bench", "asha", "--db", "/nonexistent/store.db", "--eta", "1"), "--eta");
        AssertOneLineError(CliRun.Run(Programs.Coordinator, Limit, "bench", "scaling", "--trainers", "0"), "--trainers");
        AssertOneLineError(CliRun.Run(Programs.Trainer, Limit, "bench", "kernels", "--variants", "builtin", "fast"), "--variants: unknown fast");
    }

    [Fact]
    public void Unknown_preset_invalid_toml_and_unmeetable_budget_write_no_store()
    {
        var dir = Temp();
        var db = Path.Combine(dir, "s.db");
        AssertOneLineError(CliRun.Run(Programs.Coordinator, Limit, "run", "quik", "--db", db), "unknown preset 'quik'");
        var broken = Path.Combine(dir, "broken.toml");
        File.WriteAllText(broken, "name = \"b\"\ntasks = [\"jsb\"\n");
        AssertOneLineError(CliRun.Run(Programs.Coordinator, Limit, "run", broken, "--db", db), "invalid TOML");
        var tiny = Path.Combine(dir, "tiny.toml");
        File.WriteAllText(tiny, "name = \"t\"\ntasks = [\"jsb\"]\ncells = [\"LSTM\"]\nplacements = [\"baseline\"]\nbudgets = [150]\nseeds = [1]\n");
        AssertOneLineError(CliRun.Run(Programs.Coordinator, Limit, "run", tiny, "--db", db), "no size of 'LSTM' fits budget 150");
        Assert.False(File.Exists(db));
    }

    [Fact]
    public void Stores_that_are_not_ours_or_newer_are_refused_and_left_untouched()
    {
        var dir = Temp();
        var foreign = Path.Combine(dir, "notes.db");
        File.WriteAllText(foreign, "plain text");
        var result = CliRun.Run(Programs.Coordinator, Limit, "run", "quick", "--db", foreign, "--http", "off");
        AssertOneLineError(result, "is not an SQLite database");
        Assert.Equal("plain text", File.ReadAllText(foreign));
        AssertOneLineError(CliRun.Run(Programs.Coordinator, Limit, "leaderboard", "--db", Path.Combine(dir, "missing.db")), "not found");
    }

    [Fact]
    public void A_port_already_in_use_is_named()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var dir = Temp();
        AssertOneLineError(CliRun.Run(Programs.Coordinator, Limit, "run", "quick", "--db", Path.Combine(dir, "s.db"), "--port", port.ToString(), "--http", "off"), $"--port {port}: port already in use");
        Assert.False(File.Exists(Path.Combine(dir, "s.db")));
    }

    [Fact]
    public void Missing_and_modified_data_files_are_named()
    {
        var empty = Temp();
        AssertOneLineError(CliRun.Run(Programs.Trainer, Limit, "train", "--task", "jsb", "--spec", "LSTM:hidden=4", "--data-dir", empty),
            "polyphonic/jsb_chorales.json.gz not found");
        var modified = Temp();
        Directory.CreateDirectory(Path.Combine(modified, "polyphonic"));
        var bytes = File.ReadAllBytes(Path.Combine(Programs.DataDirectory, "polyphonic", "jsb_chorales.json.gz"));
        bytes[100] ^= 0x55;
        File.WriteAllBytes(Path.Combine(modified, "polyphonic", "jsb_chorales.json.gz"), bytes);
        AssertOneLineError(CliRun.Run(Programs.Trainer, Limit, "train", "--task", "jsb", "--spec", "LSTM:hidden=4", "--data-dir", modified),
            "the file is modified or corrupt");
    }

    [Fact]
    public void Remoting_on_a_public_address_without_tls_is_refused_unless_insecure()
    {
        AssertOneLineError(CliRun.Run(Programs.Coordinator, Limit, "run", "quick", "--hostname", "0.0.0.0", "--db", Path.Combine(Temp(), "s.db"), "--http", "off"),
            "is not a loopback address: configure TLS (--tls-certificate) or pass --insecure");
        AssertOneLineError(CliRun.Run(Programs.Trainer, Limit, "--seed-nodes", "akka.tcp://rnnsearch@10.1.2.3:4053", "--hostname", "0.0.0.0"),
            "is not a loopback address");
        AssertOneLineError(CliRun.Run(Programs.Trainer, Limit, "--seed-nodes", "http://example:4053"), "expected akka.tcp://rnnsearch@HOST:PORT");
    }
}
