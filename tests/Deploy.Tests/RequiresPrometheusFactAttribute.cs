namespace RnnSearch.Deploy.Tests;

/// <summary>A fact that is reported as skipped, with the reason, when Debian's prometheus binary is not installed.</summary>
public sealed class RequiresPrometheusFactAttribute : FactAttribute
{
    public RequiresPrometheusFactAttribute()
    {
        if (PrometheusServer.Binary is null)
            Skip = "prometheus binary not found (apt-get install prometheus; CI installs it with .ci/install-deps)";
    }
}
