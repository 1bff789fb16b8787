using System.Text;

namespace Automation.Engine.Templates;

/// <summary>
/// Collects template output and stops the render as soon as it passes the limit, so a runaway loop fails fast
/// instead of building a huge string first.
/// </summary>
internal sealed class LimitedWriter(int maxLength) : TextWriter
{
    private readonly StringBuilder _text = new();

    public override Encoding Encoding => Encoding.Unicode;

    public override void Write(char value)
    {
        Ensure(1);
        _text.Append(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        Ensure(count);
        _text.Append(buffer, index, count);
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        Ensure(buffer.Length);
        _text.Append(buffer);
    }

    public override void Write(string? value)
    {
        Ensure(value?.Length ?? 0);
        _text.Append(value);
    }

    public override Task WriteAsync(char value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(char[] buffer, int index, int count)
    {
        Write(buffer, index, count);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return Task.CompletedTask;
    }

    public override string ToString() => _text.ToString();

    private void Ensure(int count)
    {
        if (_text.Length + count > maxLength)
        {
            throw new OutputLimitException();
        }
    }
}

/// <summary>Thrown by <see cref="LimitedWriter"/>; the renderer turns it into a <see cref="TemplateError"/>.</summary>
internal sealed class OutputLimitException : Exception
{
    public OutputLimitException()
        : base("The template output passed its limit.")
    {
    }

    public OutputLimitException(string message)
        : base(message)
    {
    }

    public OutputLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
