using Automation.DurableLocal;
using Automation.Host;

var builder = WebApplication.CreateBuilder(args);
builder.AddAutomationHost();

// Runs go through the Durable Task Framework in this process (the Functions app has the Durable extension instead).
builder.AddLocalDurable();

var app = builder.Build();
app.UseAutomationHost();
app.Run();

/// <summary>Visible to the host tests (WebApplicationFactory).</summary>
public partial class Program;
