using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Actions;
using Automation.Engine.Json;
using Microsoft.Extensions.Configuration;

namespace Automation.Runtime.Actions;

/// <summary>
/// The handlers registered in DI, by action type. A type without a handler fails its step with a clear, final error.
/// Every handler gets its step's secret references (<see cref="SecretReferences"/>) resolved from
/// <c>Automation:Secrets:NAME</c> first, here, so that no handler and no log needs to know about them.
/// </summary>
public sealed class ActionHandlers(IEnumerable<IActionHandler> handlers, IConfiguration configuration)
{
    public const string SecretsSection = "Automation:Secrets";

    private readonly FrozenDictionary<string, IActionHandler> byType =
        handlers.ToFrozenDictionary(h => h.Type, h => (IActionHandler)new SecretResolving(h, configuration), StringComparer.Ordinal);

    public IReadOnlyCollection<string> Types => byType.Keys;

    public bool TryGet(string type, out IActionHandler handler) => byType.TryGetValue(type, out handler!);

    public static string NotAvailable(string type) => $"Action '{type}' is not available yet.";

    private sealed class SecretResolving(IActionHandler inner, IConfiguration configuration) : IActionHandler
    {
        public string Type => inner.Type;

        public Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
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
