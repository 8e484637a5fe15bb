using System.Diagnostics;
using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;
using AkkaLogEvent = Akka.Event.LogEvent;
using SerilogLogEvent = Serilog.Events.LogEvent;

namespace RnnSearch.Shared.Logging;

/// <summary>
/// Akka's logger (akka.loggers) that writes Akka log events into Serilog's global logger, keeping the template and
/// its named properties as Akka parsed them (Akka.Hosting's MEL bridge shifts arguments into wrong slots for some
/// cluster messages), the actor path, context properties (<see cref="TrialLogContext"/>) and the trace context
/// captured when the event was logged. SourceContext is the logging class, so "Akka" level overrides apply.
/// </summary>
public sealed class SerilogAkkaLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private static readonly MessageTemplateParser Parser = new();

    public SerilogAkkaLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<AkkaLogEvent>(e => Write(Log.Logger, e));
    }

    /// <summary>Writes one Akka log event to <paramref name="root"/> (used by the actor and by tests).</summary>
    public static void Write(ILogger root, AkkaLogEvent e)
    {
        var level = e.LogLevel() switch
        {
            LogLevel.DebugLevel => LogEventLevel.Debug,
            LogLevel.InfoLevel => LogEventLevel.Information,
            LogLevel.WarningLevel => LogEventLevel.Warning,
            _ => LogEventLevel.Error,
        };
        // Events logged with a string source carry a placeholder class; the actor path says where they came from.
        var source = e.LogClass is null || e.LogClass == typeof(DummyClassForStringSources) ? "Akka" : e.LogClass.FullName ?? "Akka";
        var logger = root.ForContext(Constants.SourceContextPropertyName, source);
        if (!logger.IsEnabled(level)) return;

        string template;
        IReadOnlyDictionary<string, object>? values = null;
        if (e.Message is LogMessage message)
        {
            template = message.Format;
            if (!e.TryGetProperties(out values)) values = null;
        }
        else
        {
            // A plain object: its text is the message, not a template.
            template = (e.Message?.ToString() ?? "").Replace("{", "{{").Replace("}", "}}");
        }

        var properties = new List<LogEventProperty>();
        if (values is not null)
            foreach (var (name, value) in values)
                if (logger.BindProperty(name, value, destructureObjects: false, out var property)) properties.Add(property!);
        properties.Add(new LogEventProperty(LogProperties.ActorPath, new ScalarValue(e.LogSource)));
        if (e.Thread is { } thread) properties.Add(new LogEventProperty("ThreadId", new ScalarValue(thread.ManagedThreadId)));

        ActivityTraceId? traceId = null;
        ActivitySpanId? spanId = null;
        if (e.ActivityContext is { } context && context.TraceId != default)
            (traceId, spanId) = (context.TraceId, context.SpanId);
        var timestamp = new DateTimeOffset(DateTime.SpecifyKind(e.Timestamp, DateTimeKind.Utc));
        logger.Write(new SerilogLogEvent(timestamp, level, e.Cause, Parser.Parse(template), properties, traceId ?? default, spanId ?? default));
    }
}
