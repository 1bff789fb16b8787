using System.Text.Json;
using System.Text.Json.Serialization;
using Automation.Engine.Json;
using Automation.Engine.Templates;
using Automation.Host.Apis;
using Automation.Host.Dashboard;
using Automation.Host.Functions;
using Automation.Host.Http;
using Automation.Host.Security;
using Automation.Runtime;
using Microsoft.AspNetCore.Authentication;

namespace Automation.Host;

/// <summary>Wires the ASP.NET Core host: options, authentication, problem details, OpenAPI, endpoints.</summary>
public static class HostSetup
{
    public const string AdminPolicy = "admin";

    public static IHostApplicationBuilder AddAutomationHost(this IHostApplicationBuilder builder)
    {
        // Under the Functions host we are a custom handler: listen where it tells us, on loopback only.
        if (builder.Configuration["FUNCTIONS_CUSTOMHANDLER_PORT"] is { Length: > 0 } port)
        {
            builder.Configuration["urls"] = $"http://127.0.0.1:{port}";
        }

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

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new TemplateRenderer());
        builder.AddAutomationRuntime();
        return builder;
    }

    public static WebApplication UseAutomationHost(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi();
        app.MapHealthApi();
        app.MapActionsApi();
        app.MapWorkflowDefinitionApi();
        app.MapWorkflowsApi();
        app.MapRunsApi();
        app.MapRecordsApi();
        app.MapIntakeApi();
        app.MapEmailTemplatesApi();
        app.MapCommunicationApi();
        app.MapTrackingApi();
        app.MapDashboardSupportApi();
        app.MapEventsFeedApi();
        app.MapVocabularyApi();
        app.MapRecordsListApi();
        app.MapDashboard();
        app.MapFunctionsHandlerApi(app.Configuration);
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
