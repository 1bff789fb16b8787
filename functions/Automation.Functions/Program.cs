using Automation.Api;
using Automation.Functions.Durable;
using Automation.Runtime.Orchestration;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// The Functions host owns the triggers here: no in-process queue pollers and no scheduler timer.
builder.Configuration["Automation:Runner:Pollers"] = "false";
builder.Configuration["Automation:Scheduler:Enabled"] = "false";

builder.AddAutomationApi();
builder.Services.AddSingleton<ApiPipeline>();
builder.Services.AddSingleton<Automation.Functions.Triggers.ServiceBusIntake>();
builder.Services.AddSingleton<FunctionsDurableClients>();
builder.Services.AddSingleton<IDurableClientSource>(sp => sp.GetRequiredService<FunctionsDurableClients>());
builder.Services.TryAddSingleton<RunAdvancer>();

builder.Build().Run();
