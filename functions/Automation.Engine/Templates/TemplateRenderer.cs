using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Automation.Engine.Model;
using Fluid;
using Fluid.Values;

namespace Automation.Engine.Templates;

/// <summary>
/// Liquid (Fluid) templates over <c>record</c>, <c>previous</c>, <c>event</c>, <c>run</c>, <c>now</c>, plus
/// bracket merge fields (<c>[Contact Name]</c>, see <see cref="MergeFields"/>) and the filters of
/// <see cref="TemplateFilters"/>. Thread-safe; parsed templates are cached.
/// Output is not HTML-encoded: params are plain text, JSON or HTML by the action's choice (<c>escape</c> exists).
/// </summary>
public sealed partial class TemplateRenderer
{
    /// <summary>How many parsed templates one renderer keeps; the runner renders the same few over and over.</summary>
    public const int CacheCapacity = 2048;

    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = CreateOptions();

    private readonly ConcurrentDictionary<string, Parsed> _cache = new(StringComparer.Ordinal);

    private readonly Func<Func<TimeSpan>>? startTimer;

    /// <param name="startTimer">
    /// Starts a timer for one render and returns what it reads (elapsed time), so that renders are bounded in time
    /// (<see cref="TemplateLimits.MaxRenderTime"/>); hosts pass a stopwatch. Without one only size and steps are bounded:
    /// the engine reads no clock of its own.
    /// </param>
    public TemplateRenderer(TemplateLimits? limits = null, Func<Func<TimeSpan>>? startTimer = null)
    {
        Limits = limits ?? TemplateLimits.Default;
        this.startTimer = startTimer;
    }

    /// <summary>A renderer whose renders are timed by <paramref name="startTimer"/> (see the constructor).</summary>
    public static TemplateRenderer Timed(Func<Func<TimeSpan>> startTimer) => new(null, startTimer);

    public TemplateLimits Limits { get; }

    /// <summary>Checks syntax only. Null when the template parses; else the error with line and column.</summary>
    public TemplateError? Check(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return NeedsParsing(template) ? Parse(template).Error : LengthError(template);
    }

    /// <summary>Renders one template.</summary>
    public TemplateResult Render(string template, EvaluationScope scope)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(scope);
        return Render(template, new ScopeValues(scope));
    }

    /// <summary>
    /// Renders every string inside a step's params object (at any depth); other JSON values pass through.
    /// Errors are keyed by the param path relative to the params object (<c>subject</c>, <c>headers.X-Id</c>,
    /// <c>items[0].name</c>); a string that fails keeps its template text in the result.
    /// </summary>
    public RenderedParams RenderParams(JsonElement? parameters, EvaluationScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var errors = new Dictionary<string, TemplateError>(StringComparer.Ordinal);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            if (parameters is { ValueKind: not JsonValueKind.Undefined } root)
            {
                Write(root, "", new ScopeValues(scope), writer, errors);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteEndObject();
            }
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return new RenderedParams(document.RootElement.Clone(), errors);
    }

    private void Write(JsonElement element, string path, ScopeValues scope, Utf8JsonWriter writer, Dictionary<string, TemplateError> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    Write(property.Value, Child(path, property.Name), scope, writer, errors);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Write(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"), scope, writer, errors);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                var template = element.GetString()!;
                var result = Render(template, scope);
                if (result.Error is { } error)
                {
                    errors[path] = error;
                }

                writer.WriteStringValue(result.Output ?? template);
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static string Child(string path, string name)
    {
        // Names that would make the path ambiguous are quoted: headers["X.Id"].
        if (name.Length == 0 || name.AsSpan().IndexOfAny(".[]\"") >= 0)
        {
            return $"{path}[\"{name.Replace("\"", "\\\"", StringComparison.Ordinal)}\"]";
        }

        return path.Length == 0 ? name : $"{path}.{name}";
    }

    private TemplateResult Render(string template, ScopeValues scope)
    {
        if (!NeedsParsing(template))
        {
            return LengthError(template) is { } lengthError
                ? new TemplateResult(null, lengthError)
                : template.Length > Limits.MaxOutputLength ? new TemplateResult(null, OutputError()) : new TemplateResult(template, null);
        }

        var parsed = Parse(template);
        if (parsed.Error is { } error)
        {
            return new TemplateResult(null, error);
        }

        var context = new TemplateContext(Options)
        {
            Now = () => scope.Now,
            TimeZone = scope.TimeZone,
            MaxSteps = Limits.MaxSteps,
        };
        scope.Populate(context);
        new RenderBudget(Limits, startTimer?.Invoke()).Attach(context);
        using var output = new LimitedWriter(Limits.MaxOutputLength);
        try
        {
            var task = parsed.Template!.RenderAsync(output, NullEncoder.Default, context);
            if (!task.IsCompletedSuccessfully)
            {
                task.AsTask().GetAwaiter().GetResult();
            }

            return new TemplateResult(output.ToString(), null);
        }
        catch (Exception e)
        {
            return new TemplateResult(null, RenderError(e));
        }
    }

    private static bool NeedsParsing(string template) => template.AsSpan().IndexOfAny('{', '[') >= 0;

    private Parsed Parse(string template)
    {
        if (_cache.TryGetValue(template, out var cached))
        {
            return cached;
        }

        var parsed = LengthError(template) is { } lengthError ? new Parsed(null, lengthError) : ParseNew(template);

        // Clearing is crude but bounded and rare: a runner's working set is far below the capacity.
        if (_cache.Count >= CacheCapacity)
        {
            _cache.Clear();
        }

        _cache[template] = parsed;
        return parsed;
    }

    private static Parsed ParseNew(string template)
    {
        var translation = MergeFields.Translate(template);
        string? message;
        try
        {
            if (Parser.TryParse(translation.Text, out var parsed, out message))
            {
                var unknown = UnknownFilters.In(parsed, Options.Filters);
                return unknown.Count == 0
                    ? new Parsed(RangeGuard.Apply(parsed), null)
                    : new Parsed(null, new TemplateError($"unknown filter {string.Join(", ", unknown.Select(n => $"'{n}'"))}"));
            }
        }
        catch (ParseException e)
        {
            message = e.Message;
        }

        return new Parsed(null, SyntaxError(message, translation));
    }

    private static TemplateError SyntaxError(string? message, MergeFields.Translation translation)
    {
        // Fluid reports "End of tag '}}' was expected at (1:12)\nSource:\n..."; keep the first part, lift the position.
        var text = (message ?? "invalid template").Split('\n')[0].Trim();
        var match = PositionPattern().Match(text);
        if (!match.Success)
        {
            return new TemplateError($"Syntax error: {text}");
        }

        var (line, column) = translation.ToOriginal(
            int.Parse(match.Groups["line"].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups["column"].Value, CultureInfo.InvariantCulture));
        var description = text[..match.Index].Trim();
        return new TemplateError(
            string.Create(CultureInfo.InvariantCulture, $"Syntax error at line {line}, column {column}: {description}"), line, column);
    }

    private TemplateError? LengthError(string template) =>
        template.Length > Limits.MaxTemplateLength
            ? new TemplateError(string.Create(CultureInfo.InvariantCulture, $"template is longer than {Limits.MaxTemplateLength} characters"))
            : null;

    private TemplateError OutputError() =>
        new(string.Create(CultureInfo.InvariantCulture, $"output is longer than {Limits.MaxOutputLength} characters"));

    private TemplateError RenderError(Exception e) => e switch
    {
        OutputLimitException => OutputError(),
        TemplateLimitException => new TemplateError(e.Message),
        TemplateRenderException => new TemplateError(e.Message),

        // Fluid reports both its step limit and its nesting limit with this one message.
        InvalidOperationException when e.Message.Contains("maximum level of recursion", StringComparison.Ordinal) =>
            new TemplateError(string.Create(
                CultureInfo.InvariantCulture,
                $"template does too much work: more than {Limits.MaxSteps} steps or blocks nested more than {Options.MaxRecursion} deep (look for loops over large ranges)")),
        DivideByZeroException => new TemplateError("template divides by zero"),
        FluidException => new TemplateError($"template error: {e.Message}"),
        _ => new TemplateError($"template failed: {e.Message}"),
    };

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions
        {
            CultureInfo = CultureInfo.InvariantCulture,
            TimeZone = TimeZoneInfo.Utc,

            // Every context gets the scope's now; reaching this means a path that would read the machine clock.
            Now = static () => throw new InvalidOperationException("Templates take 'now' from the evaluation scope."),

            // A typo in a filter name should fail loudly instead of passing the value through unchanged.
            StrictFilters = true,
        };
        TemplateFilters.Register(options.Filters);
        RenderBudget.Guard(options);
        return options;
    }

    [GeneratedRegex(@"at \((?<line>\d+):(?<column>\d+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex PositionPattern();

    private sealed record Parsed(IFluidTemplate? Template, TemplateError? Error);

    /// <summary>The scope converted once for all the strings of one params object.</summary>
    private sealed class ScopeValues(EvaluationScope scope)
    {
        private readonly FluidValue _record = JsonFluidValues.From(scope.Record);
        private readonly FluidValue _previous = JsonFluidValues.From(scope.Previous);
        private readonly FluidValue _event = JsonFluidValues.From(scope.Event);
        private readonly FluidValue _run = JsonFluidValues.From(scope.Run);

        public DateTimeOffset Now => scope.Now;

        public TimeZoneInfo TimeZone => scope.TimeZone;

        public void Populate(TemplateContext context)
        {
            context.SetValue("record", _record);
            context.SetValue("previous", _previous);
            context.SetValue("event", _event);
            context.SetValue("run", _run);
            context.SetValue("now", new DateTimeValue(scope.Now));
        }
    }
}

/// <param name="MaxValueLength">Longest text (characters) any intermediate value may be; a list may hold a sixteenth as many items.</param>
/// <param name="MaxRenderTime">Longest one template may take to render (checked as values are built).</param>
public sealed record TemplateLimits(int MaxOutputLength, int MaxSteps, int MaxTemplateLength, int MaxValueLength = 256 * 1024, TimeSpan MaxRenderTime = default)
{
    public static readonly TemplateLimits Default = new(MaxOutputLength: 256 * 1024, MaxSteps: 100_000, MaxTemplateLength: 64 * 1024);

    public TimeSpan MaxRenderTime { get; init; } = MaxRenderTime == default ? TimeSpan.FromSeconds(2) : MaxRenderTime;
}

/// <summary>A template problem: a message an admin understands, with line and column for syntax errors.</summary>
public sealed record TemplateError(string Message, int? Line = null, int? Column = null);

public sealed record TemplateResult(string? Output, TemplateError? Error)
{
    public bool Ok => Error is null;
}

/// <summary>The rendered params object (strings replaced by their output) and any errors by param path.</summary>
public sealed record RenderedParams(JsonElement Rendered, IReadOnlyDictionary<string, TemplateError> Errors)
{
    public bool Ok => Errors.Count == 0;
}
