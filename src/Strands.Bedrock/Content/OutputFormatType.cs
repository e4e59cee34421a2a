using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>The kind of structured output format. Values the service adds later parse too.</summary>
/// <param name="Value">The value as it appears on the wire.</param>
[JsonConverter(typeof(StringBackedJsonConverter<OutputFormatType>))]
public readonly record struct OutputFormatType(string Value) : IStringBacked<OutputFormatType>
{
    /// <summary>The value <c>json_schema</c>.</summary>
    public static OutputFormatType JsonSchema { get; } = new("json_schema");

    /// <inheritdoc />
    public static OutputFormatType FromWire(string value) => value switch
    {
        "json_schema" => JsonSchema,
        _ => new(value),
    };

    /// <inheritdoc />
    public override string ToString() => Value;
}
