using System.Diagnostics;

namespace RnnSearch.Coordinator.Cluster;

internal static class ProcessTermination
{
    /// <summary>Kills the process with its children if it still runs, waits for it, and disposes it.</summary>
    public static void KillTreeAndDispose(this Process process, int waitMilliseconds)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(waitMilliseconds);
            }
        }
        catch (InvalidOperationException) { }
        process.Dispose();
    }
}
