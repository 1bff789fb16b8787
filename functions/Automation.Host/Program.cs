using Automation.Api;
using Automation.DurableLocal;

var builder = WebApplication.CreateBuilder(args);
builder.AddAutomationApi();

// Runs go through the Durable Task Framework in this process (the Functions app has the Durable extension instead).
builder.AddLocalDurable();

var app = builder.Build();
app.UseAutomationApi();
app.Run();

/// <summary>Visible to the host tests (WebApplicationFactory).</summary>
public partial class Program;
