using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using OpenQA.Selenium;
using RnnSearch.Coordinator.Leaderboard;
using RnnSearch.Coordinator.Store;
using RnnSearch.Coordinator.Web;
using Xunit.Abstractions;

namespace RnnSearch.Coordinator.Tests;

/// <summary>
/// The web UI in Debian's headless Chromium against a real tiny study: a coordinator with two local trainers on
/// loopback, protected by a token from the environment. Checks the live page (nodes with busy slots, running trials,
/// running curves), then the page over the finished store against the leaderboard the store gives, then the report.
/// Screenshots go to screenshots/ in the test output folder.
/// </summary>
public sealed partial class BrowserTests(ITestOutputHelper log) : IDisposable
{
    /// <summary>4 trials of a few seconds each (2 batches per epoch), long enough for the 2 s polling to see them run.</summary>
    private const string TinyStudy = """
        name = "tiny-ui"
        description = "browser test: a tiny real study (2 batches per epoch)"
        tasks = ["jsb"]
        cells = ["LSTM"]
        placements = ["baseline", "stack"]
        budgets = [11250]
        seeds = [1, 2]
        [training]
        lr = 0.01
        max_batches_per_epoch = 2
        patience = 100
        [fidelity]
        max_epochs = 60
        """;

    private readonly string _directory = SyntheticStudy.TemporaryDirectory();
    private static string Screenshots => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [ChromiumFact]
    public async Task Live_page_shows_nodes_running_trials_and_then_the_real_studys_results()
    {
        var token = "ui-token-" + Guid.NewGuid().ToString("N");
        var study = Path.Combine(_directory, "tiny-ui.toml");
        File.WriteAllText(study, TinyStudy);
        var db = Path.Combine(_directory, "store.db");

        using var browser = new Chromium();
        var driver = browser.WebDriver;
        using (var coordinator = new CoordinatorProcess(
                   ["run", study, "--local-trainers", "2", "--db", db, "--http", "127.0.0.1:0", "--port", FreePort().ToString(CultureInfo.InvariantCulture), "--verbose"],
                   new Dictionary<string, string> { [HttpToken.EnvironmentVariable] = token }))
        {
            var url = coordinator.WaitForLine(WebUiLine(), TimeSpan.FromSeconds(90));
            log.WriteLine($"coordinator pid {coordinator.Id} serves {url}");

            // Without the token the page is refused; with ?token= once it is served and the address loses the token.
            driver.Navigate().GoToUrl(url + "/");
            Assert.Contains("401", driver.FindElement(By.TagName("body")).Text);
            driver.Navigate().GoToUrl(url + "/?token=" + token);
            Chromium.WaitFor(() => driver.FindElement(By.TagName("body")).GetAttribute("data-loaded") == "true", TimeSpan.FromSeconds(60), "the page's first load");
            Assert.DoesNotContain(token, driver.Url);

            // Live: both trainers joined with a busy slot, a running trial on one of them, its curve drawn as running.
            Chromium.WaitFor(() =>
            {
                var nodes = driver.FindElements(By.CssSelector("#nodes tbody tr[data-node^='local-trainer-']"));
                var running = driver.FindElements(By.CssSelector("#trials tbody tr[data-state='running']"));
                var runningCurves = driver.FindElements(By.CssSelector("#curves path[data-state='running']"));
                return nodes.Count == 2 && nodes.All(n => n.Text.Contains("connected")) && driver.FindElements(By.CssSelector("#nodes .slot.busy")).Count >= 1
                       && running.Any(r => r.Text.Contains("local-trainer-")) && runningCurves.Count >= 1;
            }, TimeSpan.FromSeconds(150), "two connected trainers, a busy slot, a running trial and its curve");
            Assert.Equal("live · running", driver.FindElement(By.Id("connection")).Text);
            browser.Screenshot(Path.Combine(Screenshots, "ui-live.png"));
            log.WriteLine("live screenshot: " + Path.Combine(Screenshots, "ui-live.png"));

            Assert.True(coordinator.WaitForExit(TimeSpan.FromSeconds(240)), "the tiny study did not finish in 4 minutes:\n" + coordinator.Output);
            Assert.DoesNotContain(token, coordinator.Output);
            foreach (var trainerLog in Directory.GetFiles(_directory, "trainer-*.log", SearchOption.AllDirectories))
                Assert.DoesNotContain(token, File.ReadAllText(trainerLog));
        }

        // The finished study, served from its store: the page must show exactly what the store's leaderboard says.
        LeaderboardReport board;
        IReadOnlyList<StoredTrial> rows;
        string studyId;
        using (var store = StudyStore.Open(db, create: false))
        {
            studyId = store.StudyIds().Single();
            Assert.NotNull(store.FindStudy(studyId)!.Value.Completed);
            board = LeaderboardBuilder.Build(store, studyId);
            rows = store.LoadTrialRows(studyId);
        }
        Assert.Equal(4, rows.Count(r => r.State == "done"));
        await using (var server = await StoredServer.StartAsync(db, studyId, new HttpToken(token)))
        {
            driver.Navigate().GoToUrl(server.Url + "/?token=" + token);
            Chromium.WaitFor(() => driver.FindElement(By.TagName("body")).GetAttribute("data-loaded") == "true"
                                   && driver.FindElements(By.CssSelector("#curves path[data-trial]")).Count == 4, TimeSpan.FromSeconds(60), "the stored study's page");

            Assert.Equal("study complete", driver.FindElement(By.Id("connection")).Text);
            Assert.Contains("4 / 4", driver.FindElement(By.Id("study-counts")).Text);

            var leaderboard = driver.FindElements(By.CssSelector("table.leaderboard[data-task='jsb'] tbody tr"));
            Assert.Equal(board.Rows.Count, leaderboard.Count);
            foreach (var row in board.Rows)
            {
                var tr = driver.FindElement(By.CssSelector($"table.leaderboard tbody tr[data-candidate='{row.Candidate}']"));
                Assert.Equal(row.Spec, tr.FindElement(By.CssSelector("td.spec")).Text.Replace("\n", "", StringComparison.Ordinal));
                Assert.Equal(row.TestMean!.Value.ToString("F4", CultureInfo.InvariantCulture), tr.FindElement(By.CssSelector("td.test-mean")).Text);
                Assert.Equal(row.Rank.ToString(CultureInfo.InvariantCulture), tr.FindElements(By.TagName("td"))[0].Text);
            }

            var verdict = Assert.Single(board.Verdicts);
            var verdictRow = driver.FindElement(By.CssSelector($"#verdicts tbody tr[data-family='{verdict.Family}']"));
            Assert.Equal(verdict.Outcome, verdictRow.FindElement(By.CssSelector(".verdict")).Text);
            Assert.Contains(verdict.PHolm!.Value.ToString("F3", CultureInfo.InvariantCulture), verdictRow.Text);

            var nodes = driver.FindElements(By.CssSelector("#nodes tbody tr"));
            var expectedNodes = rows.GroupBy(r => r.NodeId!).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            Assert.Equal(expectedNodes.Select(g => g.Key), nodes.Select(n => n.GetAttribute("data-node")));
            foreach (var (node, expected) in nodes.Zip(expectedNodes))
            {
                Assert.Matches("^local-trainer-[12](/\\d+)?$", expected.Key);
                Assert.Equal(expected.Count().ToString(CultureInfo.InvariantCulture), node.FindElements(By.TagName("td"))[5].Text);
                Assert.Contains("gone", node.Text);
            }
            Assert.Equal(4, driver.FindElements(By.CssSelector("#trials tbody tr[data-state='done']")).Count);
            browser.Screenshot(Path.Combine(Screenshots, "ui-final.png"));
            log.WriteLine("final screenshot: " + Path.Combine(Screenshots, "ui-final.png"));
        }

        // The report of the same real study.
        var output = Path.Combine(_directory, "report");
        Assert.Equal(0, Cli.CommandLine.Run(["report", "--db", db, "--out", output]));
        var markdown = File.ReadAllText(Path.Combine(output, "report.md"));
        foreach (var row in board.Rows)
            Assert.Contains($"| {row.Rank} | `{row.Spec}` | {row.Family} |", markdown);
        Assert.Contains("| LSTM | ~300K | 8.45 | [P] |", markdown);
        Assert.Contains("**Not tested: this study has no `deep-input` candidates**", markdown);
        Assert.Contains($"→ **{Assert.Single(board.Verdicts).Outcome}**", markdown);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Web UI and API: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex WebUiLine();
}
