using System.Collections.Concurrent;

namespace RnnSearch.TrainerNode.Actors;

/// <summary>
/// The dedicated thread of one trainer slot: trials run on it one after another (TorchSharp's dispose scopes are per
/// thread, and a trial must not hold a thread-pool thread for minutes). One long-lived thread per slot instead of a
/// new thread per trial: creating a thread for every trial cost about a quarter of a trainer's CPU per trial when
/// trials are short (docs/performance.md, orchestrator). Disposing lets the current trial finish, then the thread ends.
/// </summary>
internal sealed class SlotThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;

    public SlotThread(string name)
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on this slot's thread; the task completes (or faults) with it.</summary>
    public Task<T> Run<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try { done.SetResult(work()); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task;
    }

    private void Loop()
    {
        foreach (var work in _work.GetConsumingEnumerable()) work();
    }

    public void Dispose() => _work.CompleteAdding();
}
