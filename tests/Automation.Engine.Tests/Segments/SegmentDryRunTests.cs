using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Engine.Segments;
using Automation.Engine.Templates;
using static Automation.Engine.Tests.Triggers.Defs;

namespace Automation.Engine.Tests.Segments;

/// <summary>A dry run of a segment trigger uses the membership change its caller decided, as the processor would.</summary>
public class SegmentDryRunTests
{
    private static readonly Workflow OnHot = WithTrigger("""{ "type": "segment.entered", "segment": "hot" }""");

    private static readonly CrmEvent Scored = Event("record.updated", """{ "score": 90 }""", """{ "score": 10 }""");

    [Fact]
    public void The_membership_change_given_decides_the_segment_trigger()
    {
        var result = DryRun.Run(OnHot, Scored, storedPrevious: null, Now, new TemplateRenderer(), new SegmentChange(["hot"], [], ["hot"]));

        Assert.True(result.Trigger.Matched, result.Trigger.Reason);
        Assert.Equal(["hot"], result.Changes.Segments.Entered);
        Assert.Contains("Segments after the event: 'hot' (entered: 'hot'; left: none), judged against the membership stored for the record.", result.Notes);
    }

    [Fact]
    public void Without_a_membership_change_the_segment_trigger_says_it_was_not_decided()
    {
        var result = DryRun.Run(OnHot, Scored, storedPrevious: null, Now, new TemplateRenderer());

        Assert.False(result.Trigger.Matched);
        Assert.Contains("not decided", result.Trigger.Reason, StringComparison.Ordinal);
    }
}
