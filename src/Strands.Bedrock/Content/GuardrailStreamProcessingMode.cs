using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>Whether a streaming guardrail holds the response until it is checked. Values the service adds later parse too.</summary>
/// <param name="Value">The value as it appears on the wire.</param>
[JsonConverter(typeof(StringBackedJsonConverter<GuardrailStreamProcessingMode>))]
public readonly record struct GuardrailStreamProcessingMode(string Value) : IStringBacked<GuardrailStreamProcessingMode>
{
    /// <summary>The value <c>sync</c>.</summary>
    public static GuardrailStreamProcessingMode Sync { get; } = new("sync");

    /// <summary>The value <c>async</c>.</summary>
    public static GuardrailStreamProcessingMode Async { get; } = new("async");

    /// <inheritdoc />
    public static GuardrailStreamProcessingMode FromWire(string value) => value switch
    {
        "sync" => Sync, "async" => Async,
        _ => new(value),
    };

    /// <inheritdoc />
    public override string ToString() => Value;
}
