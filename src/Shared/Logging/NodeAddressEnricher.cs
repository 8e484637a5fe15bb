using Serilog.Core;
using Serilog.Events;

namespace RnnSearch.Shared.Logging;

/// <summary>
/// Adds NodeAddress (the node's Akka address) to every event once it is known: a trainer on port 0 learns its
/// address only after its actor system starts, and a new one each time it rejoins.
/// </summary>
public sealed class NodeAddressEnricher : ILogEventEnricher
{
    private static LogEventProperty? _address;

    public static void Set(string? address) =>
        Volatile.Write(ref _address, address is null ? null : new LogEventProperty(LogProperties.NodeAddress, new ScalarValue(address)));

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (Volatile.Read(ref _address) is { } address) logEvent.AddPropertyIfAbsent(address);
    }
}
