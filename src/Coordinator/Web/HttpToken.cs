using System.Security.Cryptography;
using System.Text;

namespace RnnSearch.Coordinator.Web;

/// <summary>
/// The optional bearer token of the web UI and API (--http-token, or RNNSEARCH_HTTP_TOKEN). It never prints itself:
/// <see cref="ToString"/> hides the value, so options records that hold it can be logged safely.
/// </summary>
public sealed class HttpToken
{
    public const string EnvironmentVariable = "RNNSEARCH_HTTP_TOKEN";

    private readonly byte[] _value;

    public HttpToken(string value)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException("--http-token: must not be empty");
        _value = Encoding.UTF8.GetBytes(value);
        // What the browser keeps in its cookie: derived from the token, so the cookie jar never holds the token itself.
        CookieValue = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("rnnsearch-web-ui\n" + value)));
    }

    public string CookieValue { get; }

    /// <summary>The token from the option, else from the environment; null when neither is set (the UI is then open).</summary>
    public static HttpToken? Resolve(string? option)
    {
        if (option is not null) return new HttpToken(option);
        var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrEmpty(value) ? null : new HttpToken(value);
    }

    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _value);

    public bool MatchesCookie(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), Encoding.ASCII.GetBytes(CookieValue));

    public override string ToString() => "(hidden)";
}
