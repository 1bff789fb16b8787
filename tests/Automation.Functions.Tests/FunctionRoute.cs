using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.Logging.Abstractions;

namespace Automation.Functions.Tests;

/// <summary>
/// Matches request paths against a function.json route the way the Functions host does: it builds an
/// ASP.NET Core route from the template (with inline constraints) under an empty routePrefix, and tries
/// function routes in registration order, not by precedence, so two functions must never both match.
/// </summary>
public sealed class FunctionRoute
{
    private readonly TemplateMatcher matcher;
    private readonly IDictionary<string, IRouteConstraint> constraints;

    // Constraints receive the router that matched; none of the inline constraints look at it.
    private readonly IRouter router = new RouteCollection();

    public FunctionRoute(string template, IInlineConstraintResolver resolver)
    {
        var parsed = TemplateParser.Parse(template);
        matcher = new TemplateMatcher(parsed, new RouteValueDictionary());
        var builder = new RouteConstraintBuilder(resolver, template);
        foreach (var parameter in parsed.Parameters)
        {
            foreach (var constraint in parameter.InlineConstraints)
            {
                builder.AddResolvedConstraint(parameter.Name!, constraint.Constraint);
            }

            if (parameter.IsOptional)
            {
                builder.SetOptional(parameter.Name!);
            }
        }

        constraints = builder.Build();
    }

    public bool Matches(string path)
    {
        var values = new RouteValueDictionary();
        return matcher.TryMatch(new PathString(path), values)
            && RouteConstraintMatcher.Match(constraints, values, new DefaultHttpContext(), router, RouteDirection.IncomingRequest, NullLogger.Instance);
    }
}
