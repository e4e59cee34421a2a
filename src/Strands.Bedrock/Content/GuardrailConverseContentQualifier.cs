using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>How a guardrail treats a guarded text. Values the service adds later parse too.</summary>
/// <param name="Value">The value as it appears on the wire.</param>
[JsonConverter(typeof(StringBackedJsonConverter<GuardrailConverseContentQualifier>))]
public readonly record struct GuardrailConverseContentQualifier(string Value) : IStringBacked<GuardrailConverseContentQualifier>
{
    /// <summary>The value <c>grounding_source</c>.</summary>
    public static GuardrailConverseContentQualifier GroundingSource { get; } = new("grounding_source");

    /// <summary>The value <c>query</c>.</summary>
    public static GuardrailConverseContentQualifier Query { get; } = new("query");

    /// <summary>The value <c>guard_content</c>.</summary>
    public static GuardrailConverseContentQualifier GuardContent { get; } = new("guard_content");

    /// <inheritdoc />
    public static GuardrailConverseContentQualifier FromWire(string value) => value switch
    {
        "grounding_source" => GroundingSource, "query" => Query, "guard_content" => GuardContent,
        _ => new(value),
    };

    /// <inheritdoc />
    public override string ToString() => Value;
}
