using System.Text.Json.Serialization;

namespace Automation.Engine.Actions;

/// <summary>
/// What a parameter's value must be once rendered. Email, url, phone and datetime are strings with a format;
/// validation checks the format only when the value holds no template markup (a template's output is unknown until run time).
/// </summary>
public enum ActionParameterType
{
    String,
    Number,
    Boolean,
    Object,
    Array,
    Email,
    Url,
    Phone,

    [JsonStringEnumMemberName("datetime")]
    DateTime,
}
