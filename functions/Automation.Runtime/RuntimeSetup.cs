using Automation.Engine.Templates;
using Automation.Runtime.Actions;
using Automation.Runtime.Actions.Records;
using Automation.Runtime.Communication;
using Automation.Runtime.Crm;
using Automation.Runtime.DeadLetters;
using Automation.Runtime.Events;
using Automation.Runtime.Intake;
using Automation.Runtime.Orchestration;
using Automation.Runtime.Polling;
using Automation.Runtime.Processing;
using Automation.Runtime.Records;
using Automation.Runtime.Runs;
using Automation.Runtime.Scheduling;
using Automation.Runtime.Storage;
using Automation.Runtime.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Automation.Runtime;

public static class RuntimeSetup
{
    /// <summary>
    /// Registers storage, intake, the processors, the runner, the actions and the admin services, bound from the
    /// <c>Automation</c> section (<see cref="StorageOptions"/>, <see cref="RunnerOptions"/>, <see cref="OutboundOptions"/>
    /// show the JSON shape). Tables and queues are created at startup. The in-process pollers run unless
    /// <c>Automation:Runner:Pollers</c> is false, as the Functions app sets it: there its triggers call
    /// <see cref="EventProcessor"/> and the scheduler's tick directly. The scheduler (<see cref="SchedulerOptions"/>)
    /// ticks in process where the pollers run, unless <c>Automation:Scheduler:Enabled</c> says otherwise.
    /// </summary>
    public static IHostApplicationBuilder AddAutomationRuntime(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        services.AddOptions<RunnerOptions>().Bind(configuration.GetSection(RunnerOptions.Section));
        services.AddOptions<OutboundOptions>().Bind(configuration.GetSection(OutboundOptions.Section));
        services.AddOptions<SchedulerOptions>().Bind(configuration.GetSection(SchedulerOptions.Section));
        services.AddOptions<DurableOptions>().Bind(configuration.GetSection(DurableOptions.Section));
        services.AddOptions<EventFeedOptions>().Bind(configuration.GetSection(EventFeedOptions.Section));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => TemplateRenderer.Timed(RenderTimer.Start));

        services.AddSingleton<StorageTransactionCounter>();
        services.AddSingleton<AutomationStorage>();
        services.AddSingleton<StorageHealth>();
        services.AddSingleton<QueueSignals>();

        services.AddSingleton<WorkflowCatalog>();
        services.AddSingleton<PipelineDirectory>();
        services.AddSingleton<WorkflowStore>();
        services.AddSingleton<RecordStore>();
        services.AddSingleton<Segments.SegmentStore>();
        services.AddSingleton<Segments.SegmentEvaluation>();
        services.AddSingleton<Segments.SegmentMembers>();
        services.AddSingleton<RecordSearch>();
        services.AddSingleton<RunIndex>();
        services.AddSingleton<RunQueries>();
        services.AddSingleton<RunCommands>();
        services.AddSingleton<DeadLetterStore>();

        services.AddSingleton<EventFeed>();
        services.AddSingleton<IntakeService>();
        services.AddSingleton<RunExecutor>();
        services.AddSingleton<RunAdvancer>();
        services.AddSingleton<RunOrchestrations>();
        services.AddSingleton<TaskHubHistory>();
        services.AddSingleton<EventProcessor>();
        services.AddSingleton<QueueWorkers>();

        services.AddSingleton<ScheduleStore>();
        services.AddSingleton<ModuleRecords>();
        services.AddSingleton<DateTriggers>();
        services.AddSingleton<Scheduler>();

        services.AddSingleton<OutboundGuard>();
        services.AddHttpClient(OutboundGuard.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundGuard>().CreateHandler());
        services.AddSingleton<IActionHandler, CallWebhookHandler>();
        services.AddRecordActions(configuration);
        services.AddCrmConnections(configuration);
        services.AddAutomationCommunication(configuration);
        services.TryAddSingleton<ActionHandlers>();

        services.AddHostedService<StorageInitializer>();
        var pollers = configuration.GetValue<bool?>(RunnerOptions.Section + ":Pollers") ?? true;
        if (pollers)
        {
            services.AddHostedService<QueuePollingService>();
        }

        // The in-process scheduler runs where the pollers run: in the Functions app its timer function ticks.
        if (configuration.GetValue<bool?>(SchedulerOptions.Section + ":Enabled") ?? pollers)
        {
            services.AddHostedService<SchedulerService>();
        }

        return builder;
    }
}
