using System.Globalization;
using Fluid;
using Fluid.Values;

namespace Automation.Engine.Templates;

/// <summary>
/// What one render may build besides its output (which <see cref="LimitedWriter"/> bounds): every value a filter
/// returns or an <c>assign</c> or <c>capture</c> stores is checked against <see cref="TemplateLimits.MaxValueLength"/>
/// (characters of a text, items of a list), and the render against <see cref="TemplateLimits.MaxRenderTime"/>. A
/// template that doubles a string in a loop therefore stops when the string passes the limit, at most twice that
/// size in memory, instead of after gigabytes. The same renderer serves dry runs and steps, so both are bounded alike.
/// </summary>
internal sealed class RenderBudget(TemplateLimits limits, Func<TimeSpan>? elapsed)
{
    private const string Key = "automation.budget";
    private readonly TemplateLimits limits = limits;

    public void Attach(TemplateContext context) => context.AmbientValues[Key] = this;

    /// <summary>Wraps every filter so that what it returns is checked; assign and capture are checked through the options' hooks.</summary>
    public static void Guard(TemplateOptions options)
    {
        foreach (var (name, filter) in options.Filters.ToArray())
        {
            options.Filters.AddFilter(name, async (input, arguments, context) => Check(context, await filter(input, arguments, context)));
        }

        options.Assigned = (_, value, context) => ValueTask.FromResult(Check(context, value));
        options.Captured = (_, value, context) => ValueTask.FromResult(Check(context, value));
    }

    private static RenderBudget? For(TemplateContext context) =>
        context.AmbientValues.TryGetValue(Key, out var budget) ? budget as RenderBudget : null;

    private static FluidValue Check(TemplateContext context, FluidValue value)
    {
        if (For(context) is { } budget)
        {
            switch (value)
            {
                case StringValue text:
                    budget.CheckText(text.ToStringValue().Length);
                    break;
                case ArrayValue list when list.Values.Count > budget.limits.MaxValueLength / 16:
                    throw new TemplateLimitException(string.Create(CultureInfo.InvariantCulture,
                        $"template builds a list of more than {budget.limits.MaxValueLength / 16} items (look for a list concatenated with itself in a loop)"));
                default:
                    budget.CheckTime();
                    break;
            }
        }

        return value;
    }

    private void CheckText(int length)
    {
        if (length > limits.MaxValueLength)
        {
            throw new TemplateLimitException(string.Create(CultureInfo.InvariantCulture,
                $"template builds a text longer than {limits.MaxValueLength} characters (look for a string appended to itself in a loop)"));
        }

        CheckTime();
    }

    private void CheckTime()
    {
        if (elapsed is not null && elapsed() > limits.MaxRenderTime)
        {
            throw new TemplateLimitException(string.Create(CultureInfo.InvariantCulture,
                $"template took longer than {limits.MaxRenderTime.TotalMilliseconds:0} ms to render"));
        }
    }
}

/// <summary>A render passed one of its <see cref="TemplateLimits"/>; the message says which.</summary>
internal sealed class TemplateLimitException(string message) : Exception(message);
