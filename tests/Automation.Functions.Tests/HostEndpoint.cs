using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Functions.Tests;

/// <summary>A route the host serves, with a concrete path that reaches it and the methods it accepts.</summary>
public sealed record HostEndpoint(string Pattern, string SamplePath, IReadOnlyList<string>? Methods)
{
    /// <summary>Every route endpoint of the running host (minimal APIs, OpenAPI, static assets mapped as endpoints).</summary>
    public static IReadOnlyList<HostEndpoint> All(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => new HostEndpoint(
                "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'),
                Sample(e.RoutePattern),
                e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods ? methods.ToArray() : null))
            .ToArray();

    /// <summary>Null methods: the endpoint takes any method.</summary>
    public bool Allows(string method) => Methods is null || Methods.Contains(method, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when this is the endpoint the Functions host posts a non-HTTP invocation to.</summary>
    public bool IsInvocationOf(string functionName) =>
        string.Equals(Pattern, "/" + functionName, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"{(Methods is null ? "*" : string.Join(",", Methods))} {Pattern}";

    private static string Sample(RoutePattern pattern) =>
        "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart { IsCatchAll: true } => "sample/sample",
            RoutePatternParameterPart => "sample",
            _ => "",
        }))));
}
