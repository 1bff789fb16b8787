using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Automation.Host.Dashboard;

/// <summary>
/// Serves the admin dashboard: plain files from <c>wwwroot</c> (HTML, CSS, ES modules; no build step) under
/// <c>/app/</c>, <c>index.html</c> for every client-side route under it (so a reload or a shared link works), and a
/// redirect from <c>/</c>. Under the Functions host only <c>/</c> and <c>/app/{*path}</c> reach the handler
/// (FunctionApp/DashboardRoot and FunctionApp/Dashboard), hence the base path. The files are public; everything they
/// show comes from the admin API, which needs the admin key.
/// </summary>
public static class DashboardSetup
{
    public const string BasePath = "/app";

    // The file names carry no content hash, so the browser must ask again each time; it gets a 304 while the
    // file is unchanged (ETag, Last-Modified), so a new deployment is picked up at once at the cost of a tiny request.
    private const string CacheControl = "no-cache";

    // Nothing is loaded from anywhere but the host itself, and nothing may frame the dashboard.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication MapDashboard(this WebApplication app)
    {
        var root = FileRoot(app.Environment);
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = BasePath,
            FileProvider = root,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context => AddHeaders(context.Context.Response, context.File.Name),
        });

        // GET only: the Functions routes forward GET, and every host route must be reached by exactly one of them.
        app.MapGet("/", () => TypedResults.Redirect(BasePath + "/"))
            .ExcludeFromDescription();

        // Paths with a file extension are files: a missing one is a 404, not the page.
        app.MapGet(BasePath + "/{**path:nonfile}", (HttpContext context) => Index(context, root))
            .ExcludeFromDescription();
        return app;
    }

    private static IResult Index(HttpContext context, IFileProvider root)
    {
        var file = root.GetFileInfo("index.html");
        if (!file.Exists)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Dashboard not installed",
                detail: "wwwroot/index.html is missing from this deployment.");
        }

        AddHeaders(context.Response, file.Name);
        var etag = new EntityTagHeaderValue($"\"{file.LastModified.UtcTicks:x}-{file.Length:x}\"");
        return TypedResults.Stream(file.CreateReadStream(), "text/html; charset=utf-8", lastModified: file.LastModified, entityTag: etag);
    }

    /// <summary>
    /// The web root (the project's wwwroot when run from source, the published one otherwise); when the process was
    /// started from another working directory, the wwwroot published beside the executable.
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
