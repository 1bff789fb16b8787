using System.Text.Json;
using Automation.Api.Apis;
using Automation.Api.Dashboard;
using Automation.Api.Http;
using Automation.Api.Security;
using Automation.Engine.Json;
using Automation.Engine.Templates;
using Automation.Runtime;
using Microsoft.AspNetCore.Authentication;

namespace Automation.Api;

/// <summary>
/// The HTTP API and the dashboard, for any host: services (options, authentication, problem details, OpenAPI, the
/// runtime), the middleware in front of the endpoints, and the endpoints. The local host applies all three to its
/// WebApplication; the Functions app builds the same middleware and endpoints into a pipeline its HTTP functions
/// dispatch into (<see cref="ApiPipeline"/>), so both hosts answer with the same code.
/// </summary>
public static class ApiSetup
{
    public const string AdminPolicy = "admin";

    public static IHostApplicationBuilder AddAutomationApi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // RequestLog writes one line per request; the framework's own per-request lines would make it four or five.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var services = builder.Services;
        services.Configure<AdminOptions>(builder.Configuration.GetSection("Automation:Admin"));
        services.Configure<HttpLimitsOptions>(builder.Configuration.GetSection("Automation:Http"));
        services.Configure<IntakeOptions>(builder.Configuration.GetSection("Automation:Intake"));

        services.ConfigureHttpJsonOptions(o => CopyEngineJson(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddOpenApi();

        services.AddAuthentication(AdminKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, AdminKeyAuthenticationHandler>(AdminKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(AdminKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser());

        services.AddOptions<Http.StorageOutageOptions>().Configure<IConfiguration>((o, c) =>
            o.RetryAfter = c.GetValue("Automation:Storage:OutageRetryAfter", o.RetryAfter));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(TemplateRenderer.Timed(RenderTimer.Start));
        builder.AddAutomationRuntime();
        return builder;
    }

    /// <summary>The local host: the middleware, then every endpoint (WebApplication adds routing around them).</summary>
    public static WebApplication UseAutomationApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseApiMiddleware();
        app.MapAutomationApi();
        return app;
    }

    /// <summary>What runs between routing and the endpoint: error pages, the admin key, the dashboard's files.</summary>
    public static IApplicationBuilder UseApiMiddleware(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<Http.RequestLog>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<Http.StorageOutage>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseDashboardFiles();
        return app;
    }

    /// <summary>Every route the service answers; the Functions app has one HTTP function per group of them.</summary>
    public static IEndpointRouteBuilder MapAutomationApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi();
        app.MapHealthApi();
        app.MapActionsApi();
        app.MapWorkflowDefinitionApi();
        app.MapWorkflowsApi();
        app.MapRunsApi();
        app.MapRecordsApi();
        app.MapIntakeApi();
        app.MapTemplatesApi();
        app.MapPipelinesApi();
        app.MapSegmentsApi();
        app.MapHubSpotHooksApi();
        app.MapSalesforceHooksApi();
        app.MapReportsApi();
        app.MapCommunicationApi();
        app.MapTrackingApi();
        app.MapDashboardSupportApi();
        app.MapEventsFeedApi();
        app.MapVocabularyApi();
        app.MapRecordsListApi();
        app.MapDashboard();
        return app;
    }

    /// <summary>HTTP answers use the same names and enum spellings as what we persist (EngineJson).</summary>
    private static void CopyEngineJson(JsonSerializerOptions target)
    {
        var source = EngineJson.Options;
        target.PropertyNamingPolicy = source.PropertyNamingPolicy;
        target.DictionaryKeyPolicy = source.DictionaryKeyPolicy;
        target.DefaultIgnoreCondition = source.DefaultIgnoreCondition;
        target.Encoder = source.Encoder;
        foreach (var converter in source.Converters)
        {
            target.Converters.Add(converter);
        }
    }
}
