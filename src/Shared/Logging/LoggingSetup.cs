using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Sinks.OpenTelemetry;

namespace RnnSearch.Shared.Logging;

/// <summary>
/// Serilog for a whole process. Levels come, lowest precedence first, from Logging:LogLevel (the usual .NET keys,
/// translated), appsettings.json's Serilog section, environment variables (Serilog__MinimumLevel__Default,
/// Serilog__MinimumLevel__Override__Akka, Logging__LogLevel__Default, …) and --log-level.
/// </summary>
public static class LoggingSetup
{
    public const string OutputTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>appsettings.json beside the program, the environment, then the command line's level.</summary>
    public static IConfiguration LoadConfiguration(string? logLevel)
    {
        var files = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        // Microsoft.Extensions.Logging's keys become Serilog's, under anything set the Serilog way.
        var translated = new Dictionary<string, string?>();
        foreach (var entry in files.GetSection("Logging:LogLevel").GetChildren())
        {
            if (entry.Value is null) continue;
            var level = LoggingSettings.NormalizeLevel(entry.Value == "None" ? "critical" : entry.Value);
            translated[entry.Key == "Default" ? "Serilog:MinimumLevel:Default" : $"Serilog:MinimumLevel:Override:{entry.Key}"] = level;
        }
        var builder = new ConfigurationBuilder().AddInMemoryCollection(translated).AddConfiguration(files);
        if (logLevel is not null)
            builder.AddInMemoryCollection([new("Serilog:MinimumLevel:Default", LoggingSettings.NormalizeLevel(logLevel))]);
        return builder.Build();
    }

    /// <summary>Creates the process's logger and installs it as <see cref="Log.Logger"/> (Akka's logger actor writes there).</summary>
    public static Logger AddRnnSearchLogging(LoggingSettings settings, IConfiguration configuration)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Information()
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .Enrich.WithProperty(LogProperties.NodeRole, settings.Role)
            .Enrich.With(new NodeAddressEnricher());
        foreach (var (name, value) in settings.Properties) config.Enrich.WithProperty(name, value);

        var consoleLevel = settings.ConsoleLevel;
        var consoleAkkaLevel = settings.ConsoleAkkaLevel;
        config.WriteTo.Logger(console => console
            .Filter.ByExcluding(e => e.Level < consoleAkkaLevel && IsAkkaInternal(e))
            .WriteTo.Console(outputTemplate: OutputTemplate, restrictedToMinimumLevel: consoleLevel,
                standardErrorFromLevel: settings.ConsoleToStandardError ? LogEventLevel.Verbose : null,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture));

        if (settings.FilePath is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            config.WriteTo.File(new RenderedCompactJsonFormatter(), path, fileSizeLimitBytes: 50L * 1024 * 1024, rollOnFileSizeLimit: true,
                retainedFileCountLimit: 10, flushToDiskInterval: TimeSpan.FromSeconds(1));
        }

        if (settings.Telemetry is { OtlpEndpoint: { } endpoint } telemetry)
        {
            config.WriteTo.OpenTelemetry(o =>
            {
                var http = telemetry.OtlpProtocol == "http/protobuf";
                o.Protocol = http ? OtlpProtocol.HttpProtobuf : OtlpProtocol.Grpc;
                o.Endpoint = endpoint.ToString().TrimEnd('/');
                if (http) o.LogsEndpoint = $"{o.Endpoint}/v1/logs";
                o.ResourceAttributes = new Dictionary<string, object>(telemetry.ResourceAttributes)
                {
                    ["service.name"] = telemetry.ServiceName,
                    ["service.instance.id"] = telemetry.InstanceId,
                    ["service.version"] = Telemetry.RnnSearchTelemetry.Version,
                };
            });
        }

        var logger = config.CreateLogger();
        Log.Logger = logger;
        return logger;
    }

    /// <summary>Routes Microsoft.Extensions.Logging (hosting, ASP.NET Core, our ILogger users) into Serilog.</summary>
    public static ILoggingBuilder AddRnnSearchLogging(this ILoggingBuilder logging, Serilog.ILogger? logger = null)
    {
        logging.ClearProviders();
        // Serilog decides levels; MEL's own filter would otherwise drop Debug before Serilog sees it.
        logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace);
        return logging.AddSerilog(logger ?? Log.Logger, dispose: false);
    }

    private static bool IsAkkaInternal(LogEvent e) =>
        e.Properties.TryGetValue(Constants.SourceContextPropertyName, out var source) && source is ScalarValue { Value: string s } && s.StartsWith("Akka", StringComparison.Ordinal);
}
