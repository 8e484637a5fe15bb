using System.Net;
using System.Net.Sockets;
using RnnSearch.Coordinator.Store;
using RnnSearch.Coordinator.Studies;

namespace RnnSearch.Cluster.Tests;

/// <summary>A study run by separate coordinator and trainer processes on loopback, with helpers to watch its store.</summary>
internal sealed class TestCluster : IDisposable
{
    private readonly List<NodeProcess> _processes = [];

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "rnnsearch-cluster-tests", Guid.NewGuid().ToString("N"));
    public string StudyFile { get; }
    public string StorePath => Path.Combine(Directory, "rnnsearch.db");
    public int Port { get; } = FreePort();
    public string SeedNode => $"akka.tcp://rnnsearch@127.0.0.1:{Port}";
    public StudyDefinition Study { get; }

    public TestCluster(string studyToml)
    {
        System.IO.Directory.CreateDirectory(Directory);
        StudyFile = Path.Combine(Directory, "study.toml");
        File.WriteAllText(StudyFile, studyToml);
        Study = RnnSearch.Coordinator.Studies.StudyFile.Load(StudyFile);
    }

    public NodeProcess StartCoordinator(params string[] extra)
    {
        var node = NodeProcess.Start("coordinator", Programs.Coordinator,
            ["run", StudyFile, "--db", StorePath, "--port", Port.ToString(), "--http", "off", "--metrics-port", "0", .. extra]);
        _processes.Add(node);
        return node;
    }

    public NodeProcess StartTrainer(string name, params string[] extra) => StartTrainerWithSeed(name, SeedNode, extra);

    public NodeProcess StartTrainerWithSeed(string name, string seedNode, params string[] extra)
    {
        var node = NodeProcess.Start(name, Programs.Trainer,
            ["--seed-nodes", seedNode, "--node-id", name, "--threads", "1", "--data-dir", Programs.DataDirectory, "--metrics-port", "0", .. extra]);
        _processes.Add(node);
        return node;
    }

    /// <summary>Trials per state, read from the store (a separate read-only connection; the coordinator may be writing).</summary>
    public IReadOnlyList<TrialRecord> Trials()
    {
        if (!File.Exists(StorePath)) return [];
        try
        {
            using var store = StudyStore.Open(StorePath, create: false);
            return store.FindStudy(Study.Id) is null ? [] : store.LoadTrials(Study.Id);
        }
        catch (Exception e) when (e is StoreException or Microsoft.Data.Sqlite.SqliteException)
        {
            return [];
        }
    }

    public long Scalar(string sql)
    {
        using var store = StudyStore.Open(StorePath, create: false);
        using var command = store.Command(sql);
        return Convert.ToInt64(command.ExecuteScalar());
    }

    public static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            Thread.Sleep(250);
        }
        return condition();
    }

    /// <summary>Polls every millisecond (to catch short windows such as a checkpoint being written).</summary>
    public static bool WaitUntilFast(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            Thread.Sleep(1);
        }
        return false;
    }

    /// <summary>Every process of the test must be gone afterwards: nothing orphaned.</summary>
    public void AssertNoProcessLeft()
    {
        foreach (var node in _processes)
        {
            node.Dispose();
            Assert.True(node.IsGone, $"{node.Name} (pid {node.Pid}) is still running");
        }
    }

    public string Logs() => string.Join(Environment.NewLine, _processes.Select(p => $"==== {p.Name} (pid {p.Pid})" + Environment.NewLine + p.Output));

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        foreach (var node in _processes) node.Dispose();
        // RNNSEARCH_KEEP_TEST_DIRS=1 keeps stores and logs for a post-mortem.
        if (Environment.GetEnvironmentVariable("RNNSEARCH_KEEP_TEST_DIRS") == "1") return;
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
