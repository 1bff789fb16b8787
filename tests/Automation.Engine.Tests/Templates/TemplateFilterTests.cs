using Automation.Engine.Templates;
using Automation.Engine.Tests.Conditions;
using static Automation.Engine.Tests.Templates.TemplateScopes;

namespace Automation.Engine.Tests.Templates;

public class TemplateFilterTests
{
    // Now is 2026-03-15T10:30:00Z; record.dueDate is 2026-03-20T09:00:00Z.
    [Theory]
    [InlineData("{{ record.dueDate | in_time_zone: 'Europe/Paris' | date: '%Y-%m-%d %H:%M' }}", "2026-03-20 10:00")]
    [InlineData("{{ record.dueDate | in_time_zone: 'America/New_York' | date: '%Y-%m-%d %H:%M %z' }}", "2026-03-20 05:00 -0400")]
    [InlineData("{{ record.dueDate | local_date: '%d/%m/%Y %H:%M', 'Asia/Tokyo' }}", "20/03/2026 18:00")]
    [InlineData("{{ record.dueDate | local_date: '%H:%M' }}", "09:00")]
    [InlineData("{{ now | in_time_zone: 'Europe/Paris' | date: '%H:%M' }}", "11:30")]
    [InlineData("{{ 'today' | local_date: '%Y-%m-%d %H:%M' }}", "2026-03-15 00:00")]
    [InlineData("{{ '-7d' | local_date: '%Y-%m-%d %H:%M' }}", "2026-03-08 10:30")]
    [InlineData("{{ 0 | local_date: '%Y-%m-%d' }}", "1970-01-01")]
    public void Date_filters_convert_between_time_zones(string template, string expected)
    {
        Assert.Equal(expected, Render(template));
    }

    [Fact]
    public void Local_date_defaults_to_the_scope_time_zone()
    {
        var paris = Scopes.Zone("Europe/Paris");

        Assert.Equal("2026-03-20 10:00", Render("{{ record.dueDate | local_date: '%Y-%m-%d %H:%M' }}", Default(paris)));
    }

    [Fact]
    public void Dates_without_an_offset_are_local_to_the_scope_time_zone()
    {
        var paris = Scopes.Zone("Europe/Paris");

        Assert.Equal("08:00", Render("{{ record.localDue | in_time_zone: 'UTC' | date: '%H:%M' }}", Default(paris)));
    }

    [Theory]
    [InlineData("{{ now | add_days: 3 | date: '%Y-%m-%d %H:%M' }}", "2026-03-18 10:30")]
    [InlineData("{{ record.dueDate | add_days: -1 | date: '%Y-%m-%d' }}", "2026-03-19")]
    [InlineData("{{ record.dueDate | add_hours: 2 | date: '%H:%M' }}", "11:00")]
    [InlineData("{{ record.dueDate | add_hours: '1.5' | date: '%H:%M' }}", "10:30")]
    [InlineData("{{ record.dueDate | add_minutes: -15 | date: '%H:%M' }}", "08:45")]
    [InlineData("{{ 'tomorrow' | add_hours: 9 | date: '%Y-%m-%d %H:%M' }}", "2026-03-16 09:00")]
    [InlineData("{{ record.dueDate | add_days: 1 | in_time_zone: 'Europe/Paris' | date: '%d %H:%M' }}", "21 10:00")]
    public void Date_arithmetic_adds_days_hours_and_minutes(string template, string expected)
    {
        Assert.Equal(expected, Render(template));
    }

    [Theory]
    [InlineData("{{ record.missing | add_days: 1 }}")]
    [InlineData("{{ record.firstName | in_time_zone: 'Europe/Paris' }}")]
    [InlineData("{{ record.missing | local_date: '%Y' }}")]
    public void Date_filters_on_something_that_is_not_a_date_render_empty(string template)
    {
        Assert.Equal("", Render(template));
    }

    [Fact]
    public void Date_filters_on_a_missing_field_fall_back_to_default()
    {
        Assert.Equal("no due date", Render("{{ record.missing | add_days: 1 | default: 'no due date' }}"));
    }

    [Theory]
    [InlineData("{{ record.dueDate | in_time_zone: 'Mars/Olympus' }}", "in_time_zone: unknown time zone 'Mars/Olympus'")]
    [InlineData("{{ record.dueDate | local_date: '%H', 'Nowhere' }}", "local_date: unknown time zone 'Nowhere'")]
    [InlineData("{{ record.dueDate | add_days: 'two' }}", "the amount to add must be a number, not 'two'")]
    public void Bad_filter_arguments_are_errors_that_say_what_is_wrong(string template, string message)
    {
        var result = new TemplateRenderer().Render(template, Default());

        Assert.False(result.Ok);
        Assert.StartsWith(message, result.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ record.amount | money: 'EUR' }}", "€50,000.00")]
    [InlineData("{{ record.amount | money }}", "$50,000.00")]
    [InlineData("{{ record.amountText | money: 'GBP' }}", "£1,234.50")]
    [InlineData("{{ record.amount | money_with_currency: 'EUR' }}", "€50,000.00 EUR")]
    [InlineData("{{ record.amount | money_without_currency }}", "50,000.00")]
    [InlineData("{{ record.amount | money: 'JPY' }}", "¥50,000")]
    public void Money_formats_amounts_with_the_currency_symbol(string template, string expected)
    {
        Assert.Equal(expected, Render(template));
    }

    [Theory]
    [InlineData("{{ record.missing | default: 'friend' }}", "friend")]
    [InlineData("{{ record.nickname | default: record.firstName }}", "Ada")]
    [InlineData("{{ record.address.missing | default: 'n/a' }}", "n/a")]
    [InlineData("{{ record.firstName | default: 'friend' }}", "Ada")]
    [InlineData("{{ previous.missing | default: 0 | plus: 1 }}", "1")]
    public void Default_fills_in_missing_fields(string template, string expected)
    {
        Assert.Equal(expected, Render(template));
    }
}
