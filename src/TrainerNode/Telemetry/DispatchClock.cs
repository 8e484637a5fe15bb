using System.Diagnostics;

namespace RnnSearch.TrainerNode.Telemetry;

/// <summary>Times request → assignment per slot for rnnsearch_dispatch_latency_seconds (the actor's thread only).</summary>
internal sealed class DispatchClock(int slots)
{
    private readonly long[] _requested = new long[slots];

    public void Requested(int slot)
    {
        if (slot >= 0 && slot < _requested.Length) _requested[slot] = Stopwatch.GetTimestamp();
    }

    public void Assigned(int slot)
    {
        if (slot < 0 || slot >= _requested.Length || _requested[slot] == 0) return;
        TrainerMetrics.DispatchLatency.Record(Stopwatch.GetElapsedTime(_requested[slot]).TotalSeconds);
        _requested[slot] = 0;
    }
}
