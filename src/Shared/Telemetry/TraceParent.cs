using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace RnnSearch.Shared.Telemetry;

/// <summary>
/// W3C trace context as a string field of a protocol message: Activity.Current does not cross actor mailboxes,
/// let alone nodes, so a trial's span context travels in AssignTrial.TraceParent / TrialFinished.TraceParent.
/// </summary>
public static class TraceParent
{
    private const string Header = "traceparent";

    // Touching the SDK installs the W3C trace-context + baggage propagator as the default (a no-op before that).
    static TraceParent() => _ = Sdk.SuppressInstrumentation;

    /// <summary>The traceparent of <paramref name="activity"/>, or null when there is none (tracing off).</summary>
    public static string? From(Activity? activity)
    {
        if (activity is null) return null;
        string? value = null;
        Propagators.DefaultTextMapPropagator.Inject(new PropagationContext(activity.Context, Baggage.Current), activity,
            (_, key, v) => { if (key == Header) value = v; });
        return value;
    }

    /// <summary>The span context in <paramref name="traceParent"/>; default when it is null or malformed.</summary>
    public static ActivityContext Parse(string? traceParent)
    {
        if (string.IsNullOrEmpty(traceParent)) return default;
        var context = Propagators.DefaultTextMapPropagator.Extract(default, traceParent,
            (carrier, key) => key == Header ? [carrier] : []);
        return context.ActivityContext;
    }
}
