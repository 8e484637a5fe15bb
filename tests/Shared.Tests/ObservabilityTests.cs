using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using RnnSearch.Shared.Logging;
using RnnSearch.Shared.Telemetry;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using LogEvent = Serilog.Events.LogEvent;

namespace RnnSearch.Shared.Tests;

public sealed class ObservabilityTests
{
    [Fact]
    public void Traceparent_carries_a_span_context_across_a_message_and_tolerates_garbage()
    {
        using var listener = new ActivityListener { ShouldListenTo = s => s.Name == "traceparent-test", Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("traceparent-test");
        using var activity = source.StartActivity("trial")!;

        var header = TraceParent.From(activity);
        var parsed = TraceParent.Parse(header);

        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", header);
        Assert.Equal(activity.TraceId, parsed.TraceId);
        Assert.Equal(activity.SpanId, parsed.SpanId);
        Assert.True(parsed.IsRemote);
        Assert.Equal(default, TraceParent.Parse(null));
        Assert.Equal(default(ActivityTraceId), TraceParent.Parse("not-a-traceparent").TraceId);
        Assert.Null(TraceParent.From(null));
    }

    [Fact]
    public void Log_levels_come_from_logging_keys_then_serilog_keys_then_the_command_line()
    {
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Debug");
        Environment.SetEnvironmentVariable("Logging__LogLevel__Obs.Test.A", "Error");
        Environment.SetEnvironmentVariable("Serilog__MinimumLevel__Override__Obs.Test.A", "Warning");
        try
        {
            var fromEnvironment = LoggingSetup.LoadConfiguration(null);
            Assert.Equal("Debug", fromEnvironment["Serilog:MinimumLevel:Default"]);
            Assert.Equal("Warning", fromEnvironment["Serilog:MinimumLevel:Override:Obs.Test.A"]);
            Assert.Equal("Error", LoggingSetup.LoadConfiguration("error")["Serilog:MinimumLevel:Default"]);
            Assert.Equal("Verbose", LoggingSetup.LoadConfiguration("trace")["Serilog:MinimumLevel:Default"]);
            Assert.Throws<ArgumentException>(() => LoggingSetup.LoadConfiguration("loud"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("Logging__LogLevel__Default", null);
            Environment.SetEnvironmentVariable("Logging__LogLevel__Obs.Test.A", null);
            Environment.SetEnvironmentVariable("Serilog__MinimumLevel__Override__Obs.Test.A", null);
        }
    }

    [Fact]
    public async Task Akka_log_events_reach_serilog_with_their_named_properties_trial_context_and_actor_path()
    {
        var sink = new CollectingSink();
        var previous = Log.Logger;
        Log.Logger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(sink).CreateLogger();
        var system = ActorSystem.Create("obs", """
            akka.loggers = ["RnnSearch.Shared.Logging.SerilogAkkaLogger, RnnSearch.Shared"]
            akka.loglevel = DEBUG
            akka.stdout-loglevel = OFF
            """);
        try
        {
            var actor = system.ActorOf(Props.Create(() => new Talker()), "talker");
            actor.Tell("go");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (DateTime.UtcNow < deadline && !sink.Events.Any(e => e.MessageTemplate.Text.StartsWith("Trial {Trial}", StringComparison.Ordinal)))
                await Task.Delay(50);

            var e = sink.Events.Single(e => e.MessageTemplate.Text.StartsWith("Trial {Trial}", StringComparison.Ordinal));
            Assert.Equal(LogEventLevel.Warning, e.Level);
            Assert.Equal("Trial 42 lost on \"node-a\"", e.RenderMessage());
            Assert.Equal(42, Scalar(e, "Trial"));
            Assert.Equal("node-a", Scalar(e, "Node"));
            Assert.Equal(7L, Scalar(e, LogProperties.TrialId));
            Assert.Equal(3L, Scalar(e, LogProperties.AttemptId));
            Assert.Equal(typeof(Talker).FullName, Scalar(e, Constants.SourceContextPropertyName));
            Assert.EndsWith("/user/talker", (string)Scalar(e, LogProperties.ActorPath)!);
            // Outside the scope the context is gone.
            Assert.DoesNotContain(sink.Events.Where(x => x.MessageTemplate.Text == "after"), x => x.Properties.ContainsKey(LogProperties.TrialId));
        }
        finally
        {
            await system.Terminate();
            Log.Logger = previous;
        }
    }

    private static object? Scalar(LogEvent e, string name) => Assert.IsType<ScalarValue>(e.Properties[name]).Value;

    private sealed class Talker : ReceiveActor
    {
        public Talker()
        {
            var log = Context.GetLogger().WithTrialContext();
            Receive<string>(_ =>
            {
                using (TrialLogContext.Push(7, 3)) log.Warning("Trial {Trial} lost on {Node}", 42, "node-a");
                log.Info("after");
            });
        }
    }

    private sealed class CollectingSink : ILogEventSink
    {
        private readonly ConcurrentQueue<LogEvent> _events = new();
        public IReadOnlyList<LogEvent> Events => _events.ToList();
        public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
    }
}
