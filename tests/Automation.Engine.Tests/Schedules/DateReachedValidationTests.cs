using static Automation.Engine.Tests.Validation.Definitions;

namespace Automation.Engine.Tests.Schedules;

public class DateReachedValidationTests
{
    [Theory]
    [InlineData("""{ "type": "date.reached", "field": "dueDate" }""")]
    [InlineData("""{ "type": "date.reached", "field": "record.renewalDate", "offset": "-30d" }""")]
    [InlineData("""{ "type": "date.reached", "field": "lastActivityAt", "offset": "7d", "timeZone": "America/New_York" }""")]
    public void Date_triggers_with_a_field_and_an_optional_offset_are_valid(string trigger)
    {
        AssertValid(WithTrigger(trigger));
    }

    [Theory]
    [InlineData("""{ "type": "date.reached" }""", "trigger.field", "needs the record's date field")]
    [InlineData("""{ "type": "date.reached", "field": "dueDate", "offset": "1 year" }""", "trigger.offset", "\"+1d\", \"-30d\" or \"7d\"")]
    [InlineData("""{ "type": "date.reached", "field": "dueDate", "offset": 30 }""", "trigger.offset", "must be text")]
    [InlineData("""{ "type": "date.reached", "field": "dueDate", "timeZone": "Paris" }""", "trigger.timeZone", "Unknown time zone")]
    public void Date_triggers_name_what_is_wrong(string trigger, string path, string fragment)
    {
        AssertOnlyError(WithTrigger(trigger), path, fragment);
    }
}
