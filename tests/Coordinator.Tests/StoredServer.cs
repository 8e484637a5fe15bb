using Microsoft.AspNetCore.Builder;
using RnnSearch.Coordinator.Store;
using RnnSearch.Coordinator.Web;

namespace RnnSearch.Coordinator.Tests;

/// <summary>The web UI and API of a stored study, served in-process on a free loopback port for one test class.</summary>
internal sealed class StoredServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StoredServer(WebApplication app, string url)
    {
        _app = app;
        Url = url.TrimEnd('/');
    }

    public string Url { get; }

    public static async Task<StoredServer> StartAsync(string storePath, string studyId, HttpToken? token = null)
    {
        StoredStudy study;
        using (var store = StudyStore.Open(storePath, create: false)) study = store.LoadStudy(studyId)!;
        var app = StoredStudyServer.Build(storePath, study, "127.0.0.1:0", token);
        await app.StartAsync();
        var url = app.Urls.Single();
        Assert.StartsWith("http://127.0.0.1:", url);
        Assert.DoesNotContain(":0", url.Replace("127.0.0.1", "", StringComparison.Ordinal), StringComparison.Ordinal);
        return new StoredServer(app, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
