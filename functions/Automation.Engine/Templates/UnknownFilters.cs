using Fluid;
using Fluid.Ast;

namespace Automation.Engine.Templates;

/// <summary>
/// Finds filter names that are not registered, so that a typo (<c>| upcse</c>) is reported when the workflow is
/// validated instead of on the first run that reaches it.
/// </summary>
internal sealed class UnknownFilters(FilterCollection filters) : AstVisitor
{
    private readonly List<string> _names = [];

    public static IReadOnlyList<string> In(IFluidTemplate template, FilterCollection filters)
    {
        var visitor = new UnknownFilters(filters);
        visitor.VisitTemplate(template);
        return visitor._names;
    }

    protected override Expression VisitFilterExpression(FilterExpression filterExpression)
    {
        if (!filters.TryGetValue(filterExpression.Name, out _) && !_names.Contains(filterExpression.Name, StringComparer.Ordinal))
        {
            _names.Add(filterExpression.Name);
        }

        return base.VisitFilterExpression(filterExpression);
    }
}
