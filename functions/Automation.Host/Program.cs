using Automation.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddAutomationApi();

var app = builder.Build();
app.UseAutomationApi();
app.Run();

/// <summary>Visible to the host tests (WebApplicationFactory).</summary>
public partial class Program;
