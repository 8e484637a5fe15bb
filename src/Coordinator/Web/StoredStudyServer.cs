using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RnnSearch.Coordinator.Store;

namespace RnnSearch.Coordinator.Web;

/// <summary>
/// The web UI and API over a study in a store, without a coordinator (the <c>serve</c> command): for a finished study,
/// or to watch one that another process is running (everything then comes from the store, refreshed on each request).
/// </summary>
public static class StoredStudyServer
{
    public static WebApplication Build(string storePath, StoredStudy study, string http, HttpToken? token, Action<ILoggingBuilder>? configureLogging = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (configureLogging is not null) configureLogging(builder.Logging);
        builder.WebHost.UseUrls($"http://{http}");
        builder.Services.AddSingleton(StudyWebSource.ForStoredStudy(storePath, study));
        var app = builder.Build();
        app.UseStudyWebAccess(token, http);
        app.MapStudyApi();
        app.MapStudyUi();
        return app;
    }
}
