using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RnnSearch.Shared.Benchmarks;

/// <summary>
/// CPU time consumed by this process (all threads), in milliseconds. On a machine shared with other processes wall
/// time depends on how often this process is scheduled; CPU time much less, so benchmarks report both.
/// </summary>
public static class CpuClock
{
    private const int ClockProcessCpuTimeId = 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private static readonly bool UseLibc = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is System.Runtime.InteropServices.Architecture.X64 or System.Runtime.InteropServices.Architecture.Arm64;

    public static double ProcessMilliseconds()
    {
        if (UseLibc && ClockGetTime(ClockProcessCpuTimeId, out var t) == 0) return t.Seconds * 1e3 + t.Nanoseconds / 1e6;
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalMilliseconds;
    }
}
