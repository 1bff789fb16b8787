using Automation.Runtime;

namespace Automation.Api.Http;

/// <summary>Maps what an admin command did to its HTTP answer, and reads the shared list parameters.</summary>
public static class CommandResults
{
    public static IResult ToHttp<T>(this CommandResult<T> result, Func<T, IResult>? ok = null) => result.Outcome switch
    {
        CommandOutcome.Ok => ok is null ? TypedResults.Ok(result.Value) : ok(result.Value!),
        CommandOutcome.NotFound => Problems.NotFound(result.Message ?? "Not found."),
        _ => Problems.Conflict(result.Message ?? "The change conflicts with the current state."),
    };

    /// <summary>Parses an optional enum query value (<c>?status=failed</c>), or says which values exist.</summary>
    public static bool TryParseEnum<TEnum>(string? text, string name, out TEnum? value, out IResult? error)
        where TEnum : struct, Enum
    {
        value = null;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (Enum.TryParse<TEnum>(text, ignoreCase: true, out var parsed) && !int.TryParse(text, out _))
        {
            value = parsed;
            return true;
        }

        var names = string.Join(", ", Enum.GetNames<TEnum>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]));
        error = Problems.Field(name, $"Unknown {name} '{text}'. Use one of: {names}.");
        return false;
    }

    public static int Limit(int? limit) => Math.Clamp(limit ?? 50, 1, 500);
}
