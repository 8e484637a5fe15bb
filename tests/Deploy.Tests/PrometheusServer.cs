using System.Globalization;
using System.Text.Json;

namespace RnnSearch.Deploy.Tests;

/// <summary>Debian's prometheus binary on 127.0.0.1 with a temporary config and TSDB; disposing kills it and removes both.</summary>
internal sealed class PrometheusServer : IDisposable
{
    private readonly NodeProcess _process;
    private readonly string _directory;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static string? Binary { get; } = new[] { Environment.GetEnvironmentVariable("PROMETHEUS_BINARY"), "/usr/bin/prometheus", "/usr/local/bin/prometheus" }
        .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    public static string? Promtool => Binary is null ? null : Path.Combine(Path.GetDirectoryName(Binary)!, "promtool") is var p && File.Exists(p) ? p : null;

    private PrometheusServer(NodeProcess process, string directory, string url)
    {
        _process = process;
        _directory = directory;
        Url = url;
    }

    public string Url { get; }

    public static async Task<PrometheusServer> StartAsync(IReadOnlyDictionary<string, string> jobs, string? rulesFile)
    {
        var directory = Path.Combine(Path.GetTempPath(), "rnnsearch-prometheus", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "prometheus.yml");
        var scrape = string.Join("\n", jobs.Select(j => $"  - job_name: {j.Key}\n    static_configs:\n      - targets: [\"{j.Value}\"]"));
        File.WriteAllText(config, $"global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n{(rulesFile is null ? "" : $"rule_files:\n  - {rulesFile}\n")}scrape_configs:\n{scrape}\n");
        var port = Repo.FreePort();
        var process = NodeProcess.Start(Binary!, [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"]);
        var server = new PrometheusServer(process, directory, $"http://127.0.0.1:{port}");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"prometheus exited ({process.ExitCode}):\n{process.Output}");
            try
            {
                if ((await server._http.GetAsync($"{server.Url}/-/ready")).IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException) { } catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        server.Dispose();
        throw new TimeoutException("prometheus did not become ready:\n" + process.Output);
    }

    /// <summary>An instant query through /api/v1/query: each series' labels and value.</summary>
    public async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>> QueryAsync(string promQl)
    {
        using var response = await _http.GetAsync($"{Url}/api/v1/query?query={Uri.EscapeDataString(promQl)}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"query {promQl}: {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal("success", json.RootElement.GetProperty("status").GetString());
        return json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(r =>
            (r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
             double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture))).ToList();
    }

    public string Output => _process.Output;

    public void Dispose()
    {
        _http.Dispose();
        _process.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
