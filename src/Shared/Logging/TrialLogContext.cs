using Akka.Event;
using RnnSearch.Shared.Protocol;
using Serilog.Context;

namespace RnnSearch.Shared.Logging;

/// <summary>
/// Trial ids on log events written while handling a message about a trial. Pushes them on Serilog's LogContext
/// (for events logged synchronously on this thread, e.g. by the trial runner) and on an ambient stack that
/// <see cref="WithTrialContext"/> adapters copy into Akka log events: those are written later by the logger
/// actor on another thread, where LogContext no longer holds.
/// </summary>
public static class TrialLogContext
{
    [ThreadStatic] private static List<KeyValuePair<string, object>>? _ambient;

    /// <summary>Properties of a protocol message about a trial; nothing for other messages.</summary>
    public static IDisposable For(object message) => message switch
    {
        AssignTrial m => Push(m.TrialId, m.AttemptId, m.StudyId),
        EpochReport m => Push(m.TrialId, m.AttemptId),
        TrialFinished m => Push(m.TrialId, m.AttemptId),
        StopTrial m => Push(m.TrialId, m.AttemptId),
        HandBackTrial m => Push(m.TrialId, m.AttemptId),
        TrialFinishedAck m => Push(m.TrialId, m.AttemptId),
        _ => Scope.Empty,
    };

    public static IDisposable Push(long trialId, long attemptId, string? studyId = null)
    {
        var properties = new List<KeyValuePair<string, object>> { new(LogProperties.TrialId, trialId), new(LogProperties.AttemptId, attemptId) };
        if (studyId is not null) properties.Add(new(LogProperties.StudyId, studyId));
        return Push(properties);
    }

    public static IDisposable Push(IReadOnlyList<KeyValuePair<string, object>> properties)
    {
        var ambient = _ambient ??= [];
        var mark = ambient.Count;
        ambient.AddRange(properties);
        var pushed = properties.Select(p => LogContext.PushProperty(p.Key, p.Value)).ToList();
        return new Scope(() =>
        {
            for (var i = pushed.Count - 1; i >= 0; i--) pushed[i].Dispose();
            if (ambient.Count > mark) ambient.RemoveRange(mark, ambient.Count - mark);
        });
    }

    /// <summary>An adapter that adds the ambient trial properties (if any) to each Akka log event.</summary>
    public static ILoggingAdapter WithTrialContext(this ILoggingAdapter log) => new AmbientAdapter(log);

    private sealed class AmbientAdapter(ILoggingAdapter inner) : ILoggingAdapter
    {
        public ILogMessageFormatter Formatter => inner.Formatter;
        public bool IsDebugEnabled => inner.IsDebugEnabled;
        public bool IsInfoEnabled => inner.IsInfoEnabled;
        public bool IsWarningEnabled => inner.IsWarningEnabled;
        public bool IsErrorEnabled => inner.IsErrorEnabled;
        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);
        public void Log(LogLevel logLevel, Exception? cause, string format) => Current().Log(logLevel, cause, format);
        public void Log(LogLevel logLevel, Exception? cause, LogMessage message) => Current().Log(logLevel, cause, message);

        private ILoggingAdapter Current()
        {
            if (_ambient is not { Count: > 0 } ambient) return inner;
            var log = inner;
            foreach (var (name, value) in ambient) log = log.WithContext(name, value);
            return log;
        }
    }

    private sealed class Scope(Action? dispose) : IDisposable
    {
        public static readonly Scope Empty = new(null);
        public void Dispose() => dispose?.Invoke();
    }
}
