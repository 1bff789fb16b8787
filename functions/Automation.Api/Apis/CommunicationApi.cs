using System.Text.Json;
using Automation.Api.Http;
using Automation.Runtime.Communication;
using Automation.Runtime.Communication.Email;

namespace Automation.Api.Apis;

/// <summary>Email drafts waiting for their owners, the suppression list, and in-app notifications.</summary>
public static class CommunicationApi
{
    public static IEndpointRouteBuilder MapCommunicationApi(this IEndpointRouteBuilder app)
    {
        var drafts = app.MapGroup("/api/drafts").WithTags("drafts").RequireAuthorization(ApiSetup.AdminPolicy);
        drafts.MapGet("/", ListDrafts);
        drafts.MapGet("/{id}", async (string id, DraftOutbox outbox, CancellationToken ct) =>
            await outbox.GetAsync(id, ct) is { } draft ? TypedResults.Ok(draft) : Problems.NotFound($"Draft '{id}' does not exist."));
        drafts.MapPut("/{id}", EditDraft);
        drafts.MapPost("/{id}/approve", async (string id, string? by, DraftReview review, CancellationToken ct) =>
            (await review.ApproveAsync(id, by, ct)).ToHttp());
        drafts.MapPost("/{id}/discard", async (string id, string? by, DraftReview review, CancellationToken ct) =>
            (await review.DiscardAsync(id, by, ct)).ToHttp());

        var suppressions = app.MapGroup("/api/suppressions").WithTags("suppressions").RequireAuthorization(ApiSetup.AdminPolicy);
        suppressions.MapGet("/", ListSuppressions);
        suppressions.MapPost("/", AddSuppression);
        suppressions.MapGet("/{kind}/{address}", GetSuppression);
        suppressions.MapDelete("/{kind}/{address}", RemoveSuppression);

        var notifications = app.MapGroup("/api/notifications").WithTags("notifications").RequireAuthorization(ApiSetup.AdminPolicy);
        notifications.MapGet("/", async (string? userId, bool? unread, int? limit, string? continuationToken, NotificationStore store, CancellationToken ct) =>
            string.IsNullOrWhiteSpace(userId)
                ? Problems.Field("userId", "Name the user whose notifications to list: ?userId=...")
                : TypedResults.Ok(await store.ListAsync(userId, unread ?? false, CommandResults.Limit(limit), continuationToken, ct)));
        notifications.MapPost("/{id}/read", async (string id, NotificationStore store, CancellationToken ct) =>
            await store.MarkReadAsync(id, ct) is { } read ? TypedResults.Ok(read) : Problems.NotFound($"Notification '{id}' does not exist."));
        return app;
    }

    private static async Task<IResult> ListDrafts(
        string? status, string? ownerId, string? workflowId, int? limit, string? continuationToken, DraftOutbox outbox, CancellationToken cancellationToken)
    {
        if (!CommandResults.TryParseEnum<DraftStatus>(status, "status", out var parsed, out var error))
        {
            return error!;
        }

        return TypedResults.Ok(await outbox.ListAsync(parsed, ownerId, workflowId, CommandResults.Limit(limit), continuationToken, cancellationToken));
    }

    /// <summary><c>{ "subject"?, "html"?, "text"? }</c>: what the owner changed (html alone also rewrites the text version).</summary>
    private static async Task<IResult> EditDraft(string id, HttpContext context, DraftReview review, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(context, cancellationToken);
        if (body.Error is not null)
        {
            return body.Error;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? Text(string name)
        {
            if (body.Json.ValueKind != JsonValueKind.Object || !body.Json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                errors[name] = [$"'{name}' must be text."];
                return null;
            }

            return value.GetString();
        }

        if (body.Json.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in body.Json.EnumerateObject().Where(p => p.Name is not ("subject" or "html" or "text")))
            {
                errors[property.Name] = [$"A draft edit has no '{property.Name}'; it takes subject, html and text."];
            }
        }

        var edit = new DraftEdit(Text("subject"), Text("html"), Text("text"));
        if (edit.Subject is { } s && string.IsNullOrWhiteSpace(s))
        {
            errors["subject"] = ["The subject cannot be empty."];
        }

        if (errors.Count == 0 && edit is { Subject: null, Html: null, Text: null })
        {
            errors["$"] = ["Send what to change: { \"subject\", \"html\", \"text\" }."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors, "The edit has errors; nothing was changed.");
        }

        return (await review.EditAsync(id, edit, cancellationToken)).ToHttp();
    }

    private static async Task<IResult> ListSuppressions(string? kind, int? limit, string? continuationToken, SuppressionStore store, CancellationToken cancellationToken)
    {
        if (!CommandResults.TryParseEnum<SuppressionKind>(kind, "kind", out var parsed, out var error))
        {
            return error!;
        }

        return TypedResults.Ok(await store.ListAsync(parsed, CommandResults.Limit(limit), continuationToken, cancellationToken));
    }

    /// <summary><c>{ "address", "kind"?: "email" | "phone", "reason"? }</c>; the kind is guessed from the address when absent.</summary>
    private static async Task<IResult> AddSuppression(HttpContext context, SuppressionStore store, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(context, cancellationToken);
        if (body.Error is not null)
        {
            return body.Error;
        }

        var json = body.Json;
        var address = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("address", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        if (string.IsNullOrWhiteSpace(address))
        {
            return Problems.Field("address", "Give the email address or phone number to suppress.");
        }

        var kindText = json.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        if (!CommandResults.TryParseEnum<SuppressionKind>(kindText, "kind", out var kind, out var error))
        {
            return error!;
        }

        var resolved = kind ?? (address.Contains('@', StringComparison.Ordinal) ? SuppressionKind.Email : SuppressionKind.Phone);
        if (store.Normalize(resolved, address, out var problem) is not { } normalized)
        {
            return Problems.Field("address", problem);
        }

        var reason = json.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        var saved = await store.AddAsync(resolved, normalized, reason, "api", cancellationToken);
        return TypedResults.Created($"/api/suppressions/{Kind(resolved)}/{Uri.EscapeDataString(normalized)}", saved);
    }

    private static async Task<IResult> GetSuppression(string kind, string address, SuppressionStore store, CancellationToken cancellationToken)
    {
        if (!TryAddress(kind, address, store, out var parsed, out var normalized, out var error))
        {
            return error!;
        }

        return await store.GetAsync(parsed, normalized!, cancellationToken) is { } found
            ? TypedResults.Ok(found)
            : Problems.NotFound($"{address} is not on the suppression list.");
    }

    private static async Task<IResult> RemoveSuppression(string kind, string address, SuppressionStore store, CancellationToken cancellationToken)
    {
        if (!TryAddress(kind, address, store, out var parsed, out var normalized, out var error))
        {
            return error!;
        }

        return await store.RemoveAsync(parsed, normalized!, cancellationToken)
            ? Results.NoContent()
            : Problems.NotFound($"{address} is not on the suppression list.");
    }

    private static bool TryAddress(string kind, string address, SuppressionStore store, out SuppressionKind parsed, out string? normalized, out IResult? error)
    {
        normalized = null;
        parsed = default;
        if (!CommandResults.TryParseEnum<SuppressionKind>(kind, "kind", out var k, out error) || k is null)
        {
            error ??= Problems.Field("kind", "Use email or phone.");
            return false;
        }

        parsed = k.Value;
        normalized = store.Normalize(parsed, address, out var problem);
        if (normalized is null)
        {
            error = Problems.Field("address", problem);
            return false;
        }

        return true;
    }

    private static string Kind(SuppressionKind kind) => kind == SuppressionKind.Email ? "email" : "phone";
}
