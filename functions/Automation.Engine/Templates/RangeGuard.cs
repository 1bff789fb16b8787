using System.Globalization;
using Fluid;
using Fluid.Ast;
using Fluid.Values;

namespace Automation.Engine.Templates;

/// <summary>
/// Fluid builds the whole array of a range (<c>(1..100000000)</c>) before the first loop step, so the step limit
/// alone would let one template allocate gigabytes. This rewrite checks a range's size against the step limit
/// first: a loop over it could not finish within the limit anyway.
/// </summary>
internal sealed class RangeGuard : AstRewriter
{
    public static IFluidTemplate Apply(IFluidTemplate template) => new RangeGuard().VisitTemplate(template);

    protected override Expression VisitRangeExpression(RangeExpression rangeExpression)
    {
        var inner = (RangeExpression)base.VisitRangeExpression(rangeExpression);
        return new BoundedRange(inner);
    }

    private sealed class BoundedRange(RangeExpression inner) : Expression
    {
        public override async ValueTask<FluidValue> EvaluateAsync(TemplateContext context)
        {
            var start = (await inner.From.EvaluateAsync(context)).ToNumberValue();
            var end = (await inner.To.EvaluateAsync(context)).ToNumberValue();
            var count = Math.Max(0, decimal.Truncate(end) - decimal.Truncate(start) + 1);
            if (context.MaxSteps > 0 && count > context.MaxSteps)
            {
                throw new TemplateRenderException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"range ({start}..{end}) has {count} items, more than the limit of {context.MaxSteps} steps"));
            }

            return await inner.EvaluateAsync(context);
        }

        protected override Expression Accept(AstVisitor visitor) => visitor.VisitOtherExpression(this);
    }
}
