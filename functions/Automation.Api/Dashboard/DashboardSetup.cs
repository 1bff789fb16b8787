using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Automation.Api.Dashboard;

/// <summary>
/// Serves the admin dashboard: plain files from <c>wwwroot</c> (HTML, CSS, ES modules; no build step) at <c>/</c>,
/// and <c>index.html</c> for the dashboard's own client-side routes so that a reload or a shared link works.
/// The files are public; everything they show comes from the admin API, which needs the admin key.
/// </summary>
public static class DashboardSetup
{
    /// <summary>First path segments the dashboard routes on the client. <c>/api</c>, <c>/health</c> and <c>/openapi</c> are not among them, so unknown API paths stay 404 problems.</summary>
    public static readonly IReadOnlyList<string> ClientRoutes = ["workflows", "runs", "records", "segments", "events", "stages", "reports", "drafts", "dead-letters", "sign-in"];

    // The file names carry no content hash, so the browser must ask again each time; it gets a 304 while the
    // file is unchanged (ETag, Last-Modified), so a new deployment is picked up at once at the cost of a tiny request.
    private const string CacheControl = "no-cache";

    // Nothing is loaded from anywhere but the host itself, and nothing may frame the dashboard.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The dashboard's files at <c>/</c> (and <c>index.html</c> for <c>/</c>), for requests no endpoint took.</summary>
    public static IApplicationBuilder UseDashboardFiles(this IApplicationBuilder app)
    {
        var files = Files(app.ApplicationServices);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files.FileProvider });
        app.UseStaticFiles(files);
        return app;
    }

    /// <summary>The root and the client-side routes as endpoints answering <c>index.html</c>.</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        var files = Files(app.ServiceProvider);

        // The root as an endpoint too, so that it is a route like the others (the Functions app has one function per route).
        app.MapFallbackToFile("/", "index.html", files);
        foreach (var route in ClientRoutes)
        {
            app.MapFallbackToFile($"/{route}", "index.html", files);
            app.MapFallbackToFile($"/{route}/{{**path}}", "index.html", files);
        }

        return app;
    }

    private static StaticFileOptions Files(IServiceProvider services)
    {
        var root = FileRoot(services.GetRequiredService<IWebHostEnvironment>());
        return new StaticFileOptions
        {
            FileProvider = root,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context => AddHeaders(context.Context.Response, context.File.Name),
        };
    }

    /// <summary>
    /// The web root when it has the dashboard (a host may point it elsewhere); otherwise the wwwroot this library copies
    /// beside the assemblies of whatever host references it (the local host's build or publish, the Functions app).
    /// </summary>
    private static IFileProvider FileRoot(IWebHostEnvironment environment)
    {
        if (environment.WebRootFileProvider.GetFileInfo("index.html").Exists)
        {
            return environment.WebRootFileProvider;
        }

        var besideExecutable = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        return File.Exists(Path.Combine(besideExecutable, "index.html"))
            ? new PhysicalFileProvider(besideExecutable)
            : environment.WebRootFileProvider;
    }

    private static void AddHeaders(HttpResponse response, string fileName)
    {
        var headers = response.Headers;
        headers[HeaderNames.CacheControl] = CacheControl;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (fileName.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
        {
            headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
            headers[HeaderNames.XFrameOptions] = "DENY";
        }
    }
}
