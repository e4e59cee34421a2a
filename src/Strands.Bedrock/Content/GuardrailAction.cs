using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>What a guardrail policy did about a finding. Values the service adds later parse too.</summary>
/// <param name="Value">The value as it appears on the wire.</param>
[JsonConverter(typeof(StringBackedJsonConverter<GuardrailAction>))]
public readonly record struct GuardrailAction(string Value) : IStringBacked<GuardrailAction>
{
    /// <summary>The value <c>BLOCKED</c>.</summary>
    public static GuardrailAction Blocked { get; } = new("BLOCKED");

    /// <summary>The value <c>NONE</c>.</summary>
    public static GuardrailAction None { get; } = new("NONE");

    /// <summary>The value <c>ANONYMIZED</c>.</summary>
    public static GuardrailAction Anonymized { get; } = new("ANONYMIZED");

    /// <inheritdoc />
    public static GuardrailAction FromWire(string value) => value switch
    {
        "BLOCKED" => Blocked, "NONE" => None, "ANONYMIZED" => Anonymized,
        _ => new(value),
    };

    /// <inheritdoc />
    public override string ToString() => Value;
}
