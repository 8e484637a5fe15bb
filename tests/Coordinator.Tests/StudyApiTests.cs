using System.Net;
using System.Text.Json;

namespace RnnSearch.Coordinator.Tests;

public sealed class StudyApiTests : IAsyncLifetime
{
    private readonly string _directory = SyntheticStudy.TemporaryDirectory();
    private readonly HttpClient _client = new();
    private StoredServer _server = null!;
    private string _studyId = "";

    public async Task InitializeAsync()
    {
        var db = Path.Combine(_directory, "store.db");
        // 20 trials; the last one stays running (one epoch reported), as if its trainer were still at work.
        _studyId = SyntheticStudy.Create(db, complete: false, leaveRunning: 1);
        _server = await StoredServer.StartAsync(db, _studyId);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<JsonElement> Get(string path)
    {
        var response = await _client.GetAsync(_server.Url + path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType!.ToString());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task Study_counts_come_from_the_store_when_no_coordinator_runs()
    {
        var study = await Get("/api/study");
        Assert.Equal(_studyId, study.GetProperty("id").GetString());
        Assert.False(study.GetProperty("live").GetBoolean());
        Assert.False(study.GetProperty("complete").GetBoolean());
        Assert.Equal(20, study.GetProperty("total").GetInt32());
        Assert.Equal(19, study.GetProperty("done").GetInt32());
        Assert.Equal(1, study.GetProperty("running").GetInt32());
        Assert.Equal("nll", study.GetProperty("tasks")[0].GetProperty("metric").GetString());
    }

    [Fact]
    public async Task Trials_lists_finished_trials_with_state_node_and_metrics()
    {
        var trials = (await Get("/api/trials")).EnumerateArray().ToList();
        Assert.Equal(20, trials.Count);
        var done = trials.Where(t => t.GetProperty("state").GetString() == "done").ToList();
        Assert.Equal(19, done.Count);
        Assert.All(done, t =>
        {
            Assert.Equal("ok", t.GetProperty("status").GetString());
            Assert.Matches("^node-[12]/0$", t.GetProperty("nodeId").GetString()!);
            Assert.InRange(t.GetProperty("testMetric").GetDouble(), 8.0, 9.5);
            Assert.Equal(8, t.GetProperty("epochs").GetInt32());
        });
        var running = Assert.Single(trials, t => t.GetProperty("state").GetString() == "running");
        Assert.Equal(JsonValueKind.Null, running.GetProperty("testMetric").ValueKind);
        Assert.Single((await Get("/api/trials?state=running")).EnumerateArray());
    }

    [Fact]
    public async Task Epochs_of_a_trial_are_its_learning_curve()
    {
        var epochs = await Get("/api/trials/1/epochs");
        Assert.Equal(1, epochs.GetProperty("trialId").GetInt32());
        Assert.Equal("nll", epochs.GetProperty("metricName").GetString());
        var list = epochs.GetProperty("epochs").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 8), list.Select(e => e.GetProperty("epoch").GetInt32()));
        // Valid falls as 2.5/epoch in the synthetic history.
        Assert.Equal(2.5 - 2.5 / 8, list[0].GetProperty("validMetric").GetDouble() - list[^1].GetProperty("validMetric").GetDouble(), 6);

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync(_server.Url + "/api/trials/999/epochs")).StatusCode);
    }

    [Fact]
    public async Task Curves_hold_every_trial_with_epochs()
    {
        var curves = (await Get("/api/curves")).EnumerateArray().ToList();
        Assert.Equal(20, curves.Count);
        Assert.Equal(8, curves.First(c => c.GetProperty("trialId").GetInt32() == 1).GetProperty("points").GetArrayLength());
        Assert.Equal(1, curves.First(c => c.GetProperty("trialId").GetInt32() == 20).GetProperty("points").GetArrayLength());
    }

    [Fact]
    public async Task Nodes_sum_up_what_the_store_recorded_on_each_node()
    {
        var nodes = (await Get("/api/nodes")).EnumerateArray().ToList();
        Assert.Equal(["node-1/0", "node-2/0"], nodes.Select(n => n.GetProperty("nodeId").GetString()));
        Assert.Equal(19, nodes.Sum(n => n.GetProperty("done").GetInt32()));
        Assert.Equal(1, nodes.Sum(n => n.GetProperty("running").GetArrayLength()));
        Assert.All(nodes, n => Assert.False(n.GetProperty("live").GetBoolean()));
    }

    [Fact]
    public async Task Leaderboard_has_the_synthetic_verdicts()
    {
        var board = await Get("/api/leaderboard");
        var verdicts = board.GetProperty("verdicts").EnumerateArray().ToDictionary(v => v.GetProperty("family").GetString()!, v => v.GetProperty("verdict").GetString());
        // The running trial is a deep-gates seed: the rest still decides.
        Assert.Equal("better", verdicts["stack"]);
        Assert.Equal("worse", verdicts["deep-output"]);
        // The fields the page shows: survivors of the seeds, the relative effect with its interval, the MDE.
        var stack = board.GetProperty("verdicts").EnumerateArray().Single(v => v.GetProperty("family").GetString() == "stack");
        Assert.InRange(stack.GetProperty("relative_delta").GetDouble(), -0.04, -0.03);
        Assert.Equal(2, stack.GetProperty("relative_ci95").GetArrayLength());
        Assert.True(stack.GetProperty("mde").GetDouble() > 0);
        Assert.Equal(stack.GetProperty("pairs").GetInt32(), stack.GetProperty("candidate_survivors").GetInt32());
        var rows = board.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(19, rows.Sum(r => r.GetProperty("seeds").GetInt32())); // one seed still running: not a result yet
        Assert.All(rows, r => Assert.Equal(r.GetProperty("seeds").GetInt32(), r.GetProperty("survivors").GetInt32()));
        Assert.Equal(0, board.GetProperty("not_size_matched").GetArrayLength());
    }
}
