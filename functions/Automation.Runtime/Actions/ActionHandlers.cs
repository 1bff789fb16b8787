using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Actions;
using Automation.Engine.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Actions;

/// <summary>
/// The handlers registered in DI, by action type. A type without a handler fails its step with a clear, final error.
/// Every handler gets its step's secret references (<see cref="SecretReferences"/>) resolved from
/// <c>Automation:Secrets:NAME</c> first, here, so that no handler and no log needs to know about them; and every
/// failure's <c>Retry-After</c> is capped at <see cref="OutboundOptions.MaxRetryAfter"/> here, whichever service asked.
/// </summary>
public sealed class ActionHandlers(IEnumerable<IActionHandler> handlers, IConfiguration configuration, IOptions<OutboundOptions> outbound)
{
    public const string SecretsSection = "Automation:Secrets";

    private readonly FrozenDictionary<string, IActionHandler> byType =
        handlers.ToFrozenDictionary(h => h.Type, h => (IActionHandler)new Guarded(h, configuration, outbound.Value.MaxRetryAfter), StringComparer.Ordinal);

    public IReadOnlyCollection<string> Types => byType.Keys;

    public bool TryGet(string type, out IActionHandler handler) => byType.TryGetValue(type, out handler!);

    public static string NotAvailable(string type) => $"Action '{type}' is not available yet.";

    /// <summary>The failure with its Retry-After cut to <paramref name="max"/>, saying so in the step log's error.</summary>
    public static ActionResult CapRetryAfter(ActionResult result, TimeSpan max)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Failure is not { RetryAfter: { } asked } failure || asked <= max)
        {
            return result;
        }

        var message = string.Create(CultureInfo.InvariantCulture,
            $"{failure.Message} The service asked to wait {Describe(asked)} (Retry-After); capped at {Describe(max)} (Automation:Outbound:MaxRetryAfter).");
        return result with { Failure = failure with { Message = message, RetryAfter = max } };
    }

    private static string Describe(TimeSpan wait) =>
        wait.TotalSeconds < 120 ? $"{wait.TotalSeconds:0} s" : wait.TotalMinutes < 120 ? $"{wait.TotalMinutes:0} min" : wait.TotalHours < 48 ? $"{wait.TotalHours:0.#} h" : $"{wait.TotalDays:0.#} days";

    private sealed class Guarded(IActionHandler inner, IConfiguration configuration, TimeSpan maxRetryAfter) : IActionHandler
    {
        public string Type => inner.Type;

        public async Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken) =>
            CapRetryAfter(await ResolveAndExecuteAsync(context, cancellationToken), maxRetryAfter);

        private Task<ActionResult> ResolveAndExecuteAsync(ActionContext context, CancellationToken cancellationToken)
        {
            // References are taken from the definition, never from rendered values: record data that renders to
            // "${secret:...}" stays text. Validation allows them only as literal text at secret positions.
            if (context.Step.Params is not { ValueKind: JsonValueKind.Object } definition
                || !definition.GetRawText().Contains(SecretReferences.Marker, StringComparison.Ordinal))
            {
                return inner.ExecuteAsync(context, cancellationToken);
            }

            var rendered = JsonNode.Parse(context.Params.GetRawText()) as JsonObject ?? [];
            string? failure = null;
            SecretMasker.VisitSecrets(definition, context.Step.Action, (path, value) =>
            {
                if (failure is null && value?.GetValueKind() == JsonValueKind.String && SecretReferences.IsReferenceOnly(value.GetValue<string>()))
                {
                    var resolved = SecretReferences.Resolve(value.GetValue<string>(), name => configuration[$"{SecretsSection}:{name}"], out var missing);
                    if (resolved is null)
                    {
                        failure = $"{SecretMasker.JsonPathOf("params", path)}: the secret '{missing}' is not configured (set Automation__Secrets__{missing}).";
                        return;
                    }

                    Set(rendered, path, resolved);
                }
            });

            return failure is not null
                ? Task.FromResult(ActionResult.Fail(failure, retryable: false))
                : inner.ExecuteAsync(context with { Params = JsonSerializer.SerializeToElement(rendered, EngineJson.Options) }, cancellationToken);
        }

        private static void Set(JsonNode root, IReadOnlyList<object> path, string value)
        {
            var node = root;
            for (var i = 0; i < path.Count - 1 && node is not null; i++)
            {
                node = path[i] is int index ? node.AsArray()[index] : node.AsObject()[(string)path[i]];
            }

            switch (node, path[^1])
            {
                case (JsonObject o, string name):
                    o[name] = value;
                    break;
                case (JsonArray a, int index) when index < a.Count:
                    a[index] = value;
                    break;
            }
        }
    }
}
