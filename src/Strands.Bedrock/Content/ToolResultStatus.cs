using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>Whether a tool succeeded. Values the service adds later parse too.</summary>
/// <param name="Value">The value as it appears on the wire.</param>
[JsonConverter(typeof(StringBackedJsonConverter<ToolResultStatus>))]
public readonly record struct ToolResultStatus(string Value) : IStringBacked<ToolResultStatus>
{
    /// <summary>The value <c>success</c>.</summary>
    public static ToolResultStatus Success { get; } = new("success");

    /// <summary>The value <c>error</c>.</summary>
    public static ToolResultStatus Error { get; } = new("error");

    /// <inheritdoc />
    public static ToolResultStatus FromWire(string value) => value switch
    {
        "success" => Success, "error" => Error,
        _ => new(value),
    };

    /// <inheritdoc />
    public override string ToString() => Value;
}
