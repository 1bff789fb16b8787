using Automation.Host;

var builder = WebApplication.CreateBuilder(args);
builder.AddAutomationHost();

var app = builder.Build();
app.UseAutomationHost();
app.Run();

/// <summary>Visible to the host tests (WebApplicationFactory).</summary>
public partial class Program;
