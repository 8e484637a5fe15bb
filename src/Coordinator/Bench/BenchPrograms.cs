using System.Net;
using System.Net.Sockets;
using RnnSearch.Coordinator.Cluster;

namespace RnnSearch.Coordinator.Bench;

/// <summary>The programs and free ports a benchmark's processes use: this coordinator's own build and the trainer built beside it.</summary>
internal static class BenchPrograms
{
    /// <summary>This coordinator (the entry assembly, run with dotnet).</summary>
    public static string Coordinator => typeof(BenchPrograms).Assembly.Location;

    public static string Trainer(string? option)
    {
        var (fileName, prefix) = TrainerLocator.Locate(option);
        return prefix.Count == 1 ? prefix[0] : fileName;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
