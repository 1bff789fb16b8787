using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

namespace Automation.Functions;

// In a namespace, so that tests referencing both hosts see one global Program: the local host's.
internal static class Program
{
    private static void Main(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.AddAutomationFunctions();
        builder.Build().Run();
    }
}
