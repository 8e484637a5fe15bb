using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RnnSearch.Coordinator.Web;

/// <summary>
/// Who may see the web UI and API, and how: read-only (GET only, anything else is 405), and, when a token is set,
/// only with it (401 otherwise). The page accepts <c>?token=</c> once: it answers with a cookie derived from the token
/// and a redirect to the same page without the token in its address. The API also takes <c>Authorization: Bearer</c>.
/// Neither the token nor a URL that holds it is ever logged.
/// </summary>
public static class WebAccess
{
    public const string CookieName = "rnnsearch_ui";

    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static WebApplication UseStudyWebAccess(this WebApplication app, HttpToken? token, string? httpAddress)
    {
        if (token is null && httpAddress is not null && !IsLoopback(httpAddress))
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RnnSearch.Web")
                .LogWarning("The web UI and API at {Address} are open to anyone who can reach that address; set --http-token (or {Variable}) to require a token",
                    httpAddress, HttpToken.EnvironmentVariable);
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            var response = context.Response;
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers.XFrameOptions = "DENY";
            response.Headers["Referrer-Policy"] = "no-referrer";
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            response.Headers.CacheControl = "no-store";

            if (token is not null)
            {
                if (request.Query.ContainsKey("token") && request.Path == "/" && HttpMethods.IsGet(request.Method))
                {
                    if (!token.Matches(request.Query["token"].ToString()))
                    {
                        await Refuse(context, StatusCodes.Status401Unauthorized, "wrong token");
                        return;
                    }
                    response.Cookies.Append(CookieName, token.CookieValue, new CookieOptions
                    {
                        HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", Secure = request.IsHttps, IsEssential = true,
                    });
                    response.StatusCode = StatusCodes.Status303SeeOther;
                    response.Headers.Location = "/";
                    return;
                }
                if (!IsAuthorized(request, token))
                {
                    response.Headers.WWWAuthenticate = "Bearer realm=\"rnnsearch\"";
                    await Refuse(context, StatusCodes.Status401Unauthorized,
                        "this RnnSearch UI needs its token: open /?token=TOKEN once in the browser, or send Authorization: Bearer TOKEN");
                    return;
                }
            }
            if (!HttpMethods.IsGet(request.Method))
            {
                response.Headers.Allow = "GET";
                await Refuse(context, StatusCodes.Status405MethodNotAllowed, "the RnnSearch UI and API are read-only: GET only");
                return;
            }
            await next(context);
        });
        return app;
    }

    private static bool IsAuthorized(HttpRequest request, HttpToken token)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && token.Matches(header["Bearer ".Length..].Trim())) return true;
        return token.MatchesCookie(request.Cookies[CookieName]);
    }

    private static Task Refuse(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync($"{status}: {message}\n");
    }

    /// <summary>Whether host:port names a loopback address (127.0.0.0/8, ::1, localhost).</summary>
    public static bool IsLoopback(string hostPort)
    {
        var host = hostPort.StartsWith('[') ? hostPort[1..hostPort.IndexOf(']')] : hostPort.Contains(':') ? hostPort[..hostPort.LastIndexOf(':')] : hostPort;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }
}
