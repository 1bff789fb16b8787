using System.Globalization;
using Automation.Engine.Conditions;
using Fluid;
using Fluid.Filters;
using Fluid.Values;

namespace Automation.Engine.Templates;

/// <summary>
/// The filters templates can use beyond standard Liquid (<c>upcase</c>, <c>default</c>, <c>date</c>, <c>plus</c>, ...).
/// <code>
/// | filter                         | example                                                              | result (now = 2026-03-15T10:30Z)   |
/// |--------------------------------|----------------------------------------------------------------------|------------------------------------|
/// | in_time_zone: zone             | {{ record.dueDate | in_time_zone: "Europe/Paris" | date: "%H:%M" }}  | 10:00 for 09:00Z                   |
/// | local_date: format[, zone]     | {{ record.dueDate | local_date: "%d/%m/%Y %H:%M", "Europe/Paris" }}  | 10/03/2026 10:00; zone defaults to |
/// |                                |                                                                      | the workflow's time zone           |
/// | add_days: n                    | {{ now | add_days: 3 | date: "%Y-%m-%d" }}                            | 2026-03-18                         |
/// | add_hours: n / add_minutes: n  | {{ record.startAt | add_hours: -2 | date: "%H:%M" }}                  | two hours earlier                  |
/// | money[: currency]              | {{ record.amount | money: "EUR" }}                                   | €50,000.00 (no currency: USD $)    |
/// | money_with_currency[: cur]     | {{ record.amount | money_with_currency: "EUR" }}                     | €50,000.00 EUR                     |
/// | money_without_currency         | {{ record.amount | money_without_currency }}                         | 50,000.00                          |
/// | default: value                 | {{ record.nickname | default: record.firstName }}                    | standard Liquid: missing, nil,     |
/// |                                |                                                                      | false and "" take the default      |
/// | date: format                   | {{ "now" | date: "%Y-%m-%d" }}, {{ now | date: "%A" }}                | strftime; "now" is the scope's now |
/// </code>
/// Date inputs: a date value, an ISO 8601 text (without an offset it is local to the workflow's time zone),
/// a relative date (<c>now</c>, <c>today</c>, <c>-7d</c>, see <see cref="RelativeDate"/>) or unix seconds.
/// Anything else renders as empty, like a missing field. An unknown time zone is an error.
/// Money uses invariant formatting (1,234.50) with the currency's symbol; unknown codes print the code (XYZ1.00).
/// </summary>
public static class TemplateFilters
{
    public static void Register(FilterCollection filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        filters.WithMoneyFilters();
        filters.AddFilter("in_time_zone", InTimeZone);
        filters.AddFilter("local_date", LocalDate);
        filters.AddFilter("add_days", (input, args, context) => Add(input, args, context, TimeSpan.FromDays(1)));
        filters.AddFilter("add_hours", (input, args, context) => Add(input, args, context, TimeSpan.FromHours(1)));
        filters.AddFilter("add_minutes", (input, args, context) => Add(input, args, context, TimeSpan.FromMinutes(1)));
    }

    /// <summary>Reads a filter's date input; false when it is not a date.</summary>
    public static bool TryGetDate(FluidValue input, TemplateContext context, out DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        date = default;
        switch (input)
        {
            case DateTimeValue:
                date = input.ToObjectValue() switch
                {
                    DateTimeOffset offset => offset,
                    DateTime dateTime => RelativeDate.FromLocal(dateTime, context.TimeZone),
                    _ => default,
                };
                return true;
            case NumberValue:
                var seconds = input.ToNumberValue();
                if (seconds is < -62_135_596_800m or > 253_402_300_799m)
                {
                    return false;
                }

                date = DateTimeOffset.FromUnixTimeSeconds((long)seconds);
                return true;
            case StringValue:
                var text = input.ToStringValue();
                return ValueComparer.TryParseAbsoluteDate(text, context.TimeZone, out date)
                    || RelativeDate.TryParse(text, context.Now(), context.TimeZone, out date);
            default:
                return false;
        }
    }

    private static ValueTask<FluidValue> InTimeZone(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        var zone = ResolveZone(arguments.At(0), context, "in_time_zone");
        return TryGetDate(input, context, out var date)
            ? new DateTimeValue(TimeZoneInfo.ConvertTime(date, zone))
            : NilValue.Instance;
    }

    private static ValueTask<FluidValue> LocalDate(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        var format = arguments.At(0).IsNil() ? "%Y-%m-%d %H:%M" : arguments.At(0).ToStringValue();
        var zone = arguments.Count > 1 ? ResolveZone(arguments.At(1), context, "local_date") : context.TimeZone;
        if (!TryGetDate(input, context, out var date))
        {
            return NilValue.Instance;
        }

        if (!context.Options.Filters.TryGetValue("date", out var dateFilter))
        {
            throw new InvalidOperationException("The standard 'date' filter is not registered.");
        }

        return dateFilter(new DateTimeValue(TimeZoneInfo.ConvertTime(date, zone)), new FilterArguments(new StringValue(format)), context);
    }

    private static ValueTask<FluidValue> Add(FluidValue input, FilterArguments arguments, TemplateContext context, TimeSpan unit)
    {
        var amount = arguments.At(0);
        if (amount is not NumberValue && !ValueComparer.TryParseNumber(amount.ToStringValue(), out _))
        {
            throw new TemplateRenderException($"the amount to add must be a number, not '{amount.ToStringValue()}'");
        }

        if (!TryGetDate(input, context, out var date))
        {
            return NilValue.Instance;
        }

        try
        {
            return new DateTimeValue(date + (unit * (double)amount.ToNumberValue()));
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new TemplateRenderException("the date is out of range after adding");
        }
        catch (OverflowException)
        {
            throw new TemplateRenderException("the date is out of range after adding");
        }
    }

    private static TimeZoneInfo ResolveZone(FluidValue argument, TemplateContext context, string filter)
    {
        if (argument.IsNil())
        {
            return context.TimeZone;
        }

        var id = argument.ToStringValue().Trim();
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            ? zone
            : throw new TemplateRenderException(string.Create(CultureInfo.InvariantCulture, $"{filter}: unknown time zone '{id}' (use an IANA name such as Europe/Paris)"));
    }
}

/// <summary>A template failed while rendering, for a reason an admin can fix; the message says which.</summary>
public sealed class TemplateRenderException : Exception
{
    public TemplateRenderException()
    {
    }

    public TemplateRenderException(string message)
        : base(message)
    {
    }

    public TemplateRenderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
