using System.Net;
using System.Net.Sockets;

namespace RnnSearch.Deploy.Tests;

/// <summary>Where the repository, the built programs and deploy/ are, from this test assembly's location.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>Release or Debug: the configuration this test assembly was built with (bin/&lt;configuration&gt;/net10.0).</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string Deploy => Path.Combine(Root, "deploy");

    public static string CoordinatorDll => Existing(Path.Combine(Root, "src", "Coordinator", "bin", Configuration, "net10.0", "RnnSearch.Coordinator.dll"));

    /// <summary>The trainer the coordinator build recorded beside itself (trainer-node.path).</summary>
    public static string TrainerDll => Existing(File.ReadAllText(Existing(Path.Combine(Path.GetDirectoryName(CoordinatorDll)!, "trainer-node.path"))).Trim());

    public static string Path_(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A port nobody listens on now (the OS's choice); <paramref name="consecutive"/> free ports from it.</summary>
    public static int FreePort(int consecutive = 1)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            if (port + consecutive > 65535) continue;
            if (Enumerable.Range(port, consecutive).All(IsFree)) return port;
        }
        throw new InvalidOperationException("no free port range found");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string Existing(string path) => File.Exists(path) ? path : throw new FileNotFoundException($"{path} not found: build the solution first", path);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RnnSearch.sln"))) return dir.FullName;
        throw new InvalidOperationException("RnnSearch.sln not found above " + AppContext.BaseDirectory);
    }
}
