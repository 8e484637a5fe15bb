using System.Collections.Concurrent;

namespace RnnSearch.TrainerNode.Actors;

/// <summary>
/// The trials running on this process's dedicated threads. Before the process exits (or a node restarts) they are
/// cancelled and waited for: a thread still inside libtorch while the runtime shuts down crashes the process.
/// </summary>
public static class TrialThreads
{
    private static readonly ConcurrentDictionary<Task, byte> Running = new();

    public static Task<T> Track<T>(Task<T> task)
    {
        Running[task] = 0;
        task.ContinueWith(t => Running.TryRemove(t, out _), TaskScheduler.Default);
        return task;
    }

    /// <summary>Waits for every running trial to end (they stop at the next window once cancelled).</summary>
    public static bool WaitAll(TimeSpan timeout) => Task.WaitAll(Running.Keys.ToArray(), timeout);
}
