using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace RnnSearch.Coordinator.Web;

/// <summary>
/// The web UI: one page, its script and its style sheet, embedded in the assembly (Web/Assets) so the coordinator
/// serves them with no files beside it and nothing from the internet.
/// </summary>
public static class StudyUi
{
    private static readonly (string Path, string Resource, string ContentType)[] Assets =
    [
        ("/", "web.index.html", "text/html; charset=utf-8"),
        ("/app.js", "web.app.js", "text/javascript; charset=utf-8"),
        ("/app.css", "web.app.css", "text/css; charset=utf-8"),
    ];

    public static void MapStudyUi(this WebApplication app)
    {
        foreach (var (path, resource, contentType) in Assets)
        {
            var bytes = Read(resource);
            app.MapGet(path, () => Results.Bytes(bytes, contentType));
        }
    }

    public static byte[] Read(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
                           ?? throw new InvalidOperationException($"embedded web asset {resource} missing from the build");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
