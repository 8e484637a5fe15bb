using Akka.Hosting;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using AkkaLogLevel = Akka.Event.LogLevel;

namespace RnnSearch.Shared.Logging;

public static class AkkaLoggingSetup
{
    /// <summary>
    /// Akka's log events go only to <see cref="SerilogAkkaLogger"/>; akka.loglevel follows the lowest level Serilog
    /// lets through for "Akka" or our own actors ("RnnSearch"), so Akka does not build debug events nobody keeps.
    /// </summary>
    public static AkkaConfigurationBuilder WithSerilogLogging(this AkkaConfigurationBuilder builder) =>
        builder.ConfigureLoggers(loggers =>
        {
            loggers.ClearLoggers();
            loggers.AddLogger<SerilogAkkaLogger>();
            var akka = Log.Logger.ForContext(Constants.SourceContextPropertyName, "Akka");
            var ours = Log.Logger.ForContext(Constants.SourceContextPropertyName, "RnnSearch");
            loggers.LogLevel = LevelFor(level => akka.IsEnabled(level) || ours.IsEnabled(level));
        });

    private static AkkaLogLevel LevelFor(Func<LogEventLevel, bool> enabled) =>
        enabled(LogEventLevel.Debug) ? AkkaLogLevel.DebugLevel
        : enabled(LogEventLevel.Information) ? AkkaLogLevel.InfoLevel
        : enabled(LogEventLevel.Warning) ? AkkaLogLevel.WarningLevel
        : AkkaLogLevel.ErrorLevel;
}
