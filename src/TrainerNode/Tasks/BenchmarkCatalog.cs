using System.Collections.Concurrent;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.TrainerNode.Tasks;

/// <summary>
/// Loads benchmarks by name, once per process: a trainer node runs many trials on the same data, so parsed data
/// sets are cached (they are read-only after loading).
/// </summary>
internal static class BenchmarkCatalog
{
    private static readonly ConcurrentDictionary<string, Lazy<Benchmark>> Cache = new();

    public static Benchmark Get(string task, string dataDirectory, int? length = null)
    {
        var info = TaskCatalog.TryGet(task, out var found) ? found!
            : throw new DataException($"unknown task '{task}'; allowed: {string.Join(", ", TaskCatalog.Names)}");
        var key = $"{info.Name}|{dataDirectory}|{length}";
        var lazy = Cache.GetOrAdd(key, _ => new Lazy<Benchmark>(() => Load(info, dataDirectory, length)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            Cache.TryRemove(key, out _);
            throw;
        }
    }

    private static Benchmark Load(TaskInfo info, string dataDirectory, int? length) => info.Name switch
    {
        "jsb" or "nottingham" or "musedata" or "piano" => MusicBenchmark.Load(info, dataDirectory),
        "ptb-word" or "ptb-char" => PtbBenchmark.Load(info, dataDirectory),
        "adding" => new SyntheticBenchmark(info, length ?? 100),
        "copy" => new SyntheticBenchmark(info, length ?? 50),
        _ => throw new DataException($"no loader for task '{info.Name}'"),
    };
}
