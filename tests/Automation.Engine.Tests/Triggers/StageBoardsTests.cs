using Automation.Engine.Model;
using Automation.Engine.Triggers;
using static Automation.Engine.Tests.Triggers.Defs;

namespace Automation.Engine.Tests.Triggers;

public class StageBoardsTests
{
    private static Workflow Wf(string id, string name, string trigger, string status = "active", string module = "deal") => Workflow($$"""
        { "id": "{{id}}", "version": 1, "name": "{{name}}", "module": "{{module}}", "status": "{{status}}", "trigger": {{trigger}} }
        """);

    private static readonly PipelineDefinition Sales = new("sales", "deal", ["Lead", "Qualified", "Proposal", "Won"]);

    private static readonly Workflow[] Flows =
    [
        Wf("w1", "Welcome qualified", """{ "type": "stage.entered", "stage": "Qualified", "pipeline": "sales" }"""),
        Wf("w2", "Alert on lost proposal", """{ "type": "stage.exited", "stage": "proposal", "pipeline": "Sales" }"""),
        Wf("w3", "Any pipeline won", """{ "type": "stage.entered", "stage": "Won" }"""),
        Wf("w4", "A draft on won", """{ "type": "stage.entered", "stage": "Won", "pipeline": "sales" }""", status: "draft"),
        Wf("w5", "Log every move", """{ "type": "stage.changed", "pipeline": "sales" }"""),
        Wf("w6", "Proposal to won", """{ "type": "stage.changed", "from": "Proposal", "to": "Won" }"""),
        Wf("w7", "Left negotiation", """{ "type": "stage.changed", "from": "Negotiation", "pipeline": "sales" }"""),
        Wf("w8", "Support stage", """{ "type": "stage.entered", "stage": "Triage", "pipeline": "support" }""", module: "ticket"),
        Wf("w9", "Archived", """{ "type": "stage.entered", "stage": "Won", "pipeline": "sales" }""", status: "archived"),
        Wf("w10", "Not about stages", """{ "type": "record.created" }"""),
    ];

    [Fact]
    public void A_board_lists_the_configured_stages_in_order_then_those_only_workflows_name()
    {
        var board = StageBoards.Build("sales", [Sales], Flows);

        Assert.Equal("sales", board.Pipeline);
        Assert.Equal("deal", board.Module);
        Assert.Equal(["Lead", "Qualified", "Proposal", "Won", "Negotiation"], board.Stages.Select(s => s.Stage));
    }

    [Fact]
    public void Each_stage_has_its_entry_and_exit_workflows_active_first_and_none_archived()
    {
        var board = StageBoards.Build("sales", [Sales], Flows);
        BoardStage Stage(string name) => board.Stages.Single(s => s.Stage == name);

        Assert.Equal(["w1"], Stage("Qualified").OnEntry.Select(w => w.Id));
        Assert.Equal(["w2"], Stage("Proposal").OnExit.Select(w => w.Id));
        Assert.Equal(["w3", "w6", "w4"], Stage("Won").OnEntry.Select(w => w.Id));
        Assert.Null(Stage("Won").OnEntry[0].Pipeline);
        Assert.Equal("from 'Proposal' to 'Won'", Stage("Won").OnEntry[1].Note);
        Assert.Equal(["w7"], Stage("Negotiation").OnExit.Select(w => w.Id));
        Assert.Empty(Stage("Lead").OnEntry);
        Assert.Equal(["w5"], board.AnyStage.Select(w => w.Id));
        Assert.Equal("on any stage change", board.AnyStage[0].Note);
        Assert.DoesNotContain(board.Stages.SelectMany(s => s.OnEntry.Concat(s.OnExit)), w => w.Id is "w8" or "w9" or "w10");
    }

    [Fact]
    public void The_board_of_every_pipeline_has_every_stage_and_every_stage_workflow()
    {
        var board = StageBoards.Build(null, [Sales], Flows);

        Assert.Null(board.Pipeline);
        Assert.Contains(board.Stages, s => s.Stage == "Triage" && s.OnEntry.Single().Id == "w8");
        Assert.Equal(["w1"], board.Stages.Single(s => s.Stage == "Qualified").OnEntry.Select(w => w.Id));
    }

    [Fact]
    public void Pipelines_are_the_configured_ones_then_those_triggers_name_with_their_module_and_stages()
    {
        var pipelines = StageBoards.Pipelines([Sales], Flows);

        Assert.Equal(["sales", "support"], pipelines.Select(p => p.Name));
        Assert.Equal(["Lead", "Qualified", "Proposal", "Won", "Negotiation"], pipelines[0].Stages);
        Assert.Equal("ticket", pipelines[1].Module);
        Assert.Equal(["Triage"], pipelines[1].Stages);
    }

    [Fact]
    public void A_pipeline_no_workflow_names_yet_still_has_its_configured_board()
    {
        var board = StageBoards.Build("renewals", [new PipelineDefinition("Renewals", "contract", ["Due", "Renewed"])], []);

        Assert.Equal("Renewals", board.Pipeline);
        Assert.Equal("contract", board.Module);
        Assert.Equal(["Due", "Renewed"], board.Stages.Select(s => s.Stage));
        Assert.All(board.Stages, s => Assert.Empty(s.OnEntry));
    }
}
