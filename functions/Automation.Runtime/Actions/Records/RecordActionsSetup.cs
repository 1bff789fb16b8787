using Automation.Runtime.Crm;
using Automation.Runtime.Documents;
using Automation.Runtime.Teams;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Automation.Runtime.Actions.Records;

public static class RecordActionsSetup
{
    /// <summary>
    /// The record actions and what they stand on: the record writer, the CRM write-back (<see cref="CrmOptions"/>),
    /// documents (<see cref="DocumentsOptions"/>), teams (<see cref="TeamsOptions"/>) and round-robin
    /// (<see cref="AssignmentOptions"/>). Expects the outbound HTTP client (<see cref="OutboundGuard"/>) to be registered.
    /// </summary>
    public static IServiceCollection AddRecordActions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CrmOptions>().Bind(configuration.GetSection(CrmOptions.Section));
        services.AddOptions<DocumentsOptions>().Bind(configuration.GetSection(DocumentsOptions.Section));
        services.AddOptions<AssignmentOptions>().Bind(configuration.GetSection(AssignmentOptions.Section));
        services.AddOptions<TeamsOptions>().Configure(o => o.Load(configuration.GetSection(TeamsOptions.Section)));

        services.TryAddSingleton<RecordWriter>();
        services.TryAddSingleton<CrmWriteBack>();
        services.TryAddSingleton<CrmJournal>();
        services.TryAddSingleton<CrmOutbound>();
        services.TryAddSingleton<RecordChanges>();
        services.TryAddSingleton<RoundRobin>();
        services.TryAddSingleton<DocumentStore>();
        services.TryAddSingleton<DocumentFetcher>();
        services.TryAddSingleton<WorkflowEnroller>();

        services.AddSingleton<IActionHandler, AssignOwnerHandler>();
        services.AddSingleton<IActionHandler, MarkContactHandler>();
        services.AddSingleton<IActionHandler, UpdateFieldHandler>();
        services.AddSingleton<IActionHandler, ChangeStatusHandler>();
        services.AddSingleton<IActionHandler, MoveStageHandler>();
        services.AddSingleton<IActionHandler, CreateTaskHandler>();
        services.AddSingleton<IActionHandler, CreateCaseHandler>();
        services.AddSingleton<IActionHandler, CreateOpportunityHandler>();
        services.AddSingleton<IActionHandler, CreateRecordHandler>();
        services.AddSingleton<IActionHandler, AddNoteHandler>();
        services.AddSingleton<IActionHandler, AttachDocumentHandler>();
        services.AddSingleton<IActionHandler, StartWorkflowHandler>();
        services.AddSingleton<IActionHandler, AddToSequenceHandler>();
        return services;
    }
}
