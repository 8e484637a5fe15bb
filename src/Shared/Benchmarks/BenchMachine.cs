using System.Globalization;
using System.Runtime.InteropServices;

namespace RnnSearch.Shared.Benchmarks;

/// <summary>Where a benchmark ran: cores, CPU model, OS and the load average (other processes share these machines).</summary>
public sealed record BenchMachine(int Cores, string Cpu, string Os, string Runtime, double[] LoadAverage)
{
    public static BenchMachine Current() =>
        new(Environment.ProcessorCount, CpuModel(), RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, LoadAverageNow());

    /// <summary>1, 5 and 15 minute load averages from /proc/loadavg (empty where there is none).</summary>
    public static double[] LoadAverageNow()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.Take(3).Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return [];
        }
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
