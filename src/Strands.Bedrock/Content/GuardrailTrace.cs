using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>Whether the guardrail trace is returned. Values the service adds later parse too.</summary>
/// <param name="Value">The value as it appears on the wire.</param>
[JsonConverter(typeof(StringBackedJsonConverter<GuardrailTrace>))]
public readonly record struct GuardrailTrace(string Value) : IStringBacked<GuardrailTrace>
{
    /// <summary>The value <c>enabled</c>.</summary>
    public static GuardrailTrace Enabled { get; } = new("enabled");

    /// <summary>The value <c>disabled</c>.</summary>
    public static GuardrailTrace Disabled { get; } = new("disabled");

    /// <summary>The value <c>enabled_full</c>.</summary>
    public static GuardrailTrace EnabledFull { get; } = new("enabled_full");

    /// <inheritdoc />
    public static GuardrailTrace FromWire(string value) => value switch
    {
        "enabled" => Enabled, "disabled" => Disabled, "enabled_full" => EnabledFull,
        _ => new(value),
    };

    /// <inheritdoc />
    public override string ToString() => Value;
}
