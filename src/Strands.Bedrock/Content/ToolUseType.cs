using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>The kind of a tool use. Values the service adds later parse too.</summary>
/// <param name="Value">The value as it appears on the wire.</param>
[JsonConverter(typeof(StringBackedJsonConverter<ToolUseType>))]
public readonly record struct ToolUseType(string Value) : IStringBacked<ToolUseType>
{
    /// <summary>The value <c>server_tool_use</c>.</summary>
    public static ToolUseType ServerToolUse { get; } = new("server_tool_use");

    /// <inheritdoc />
    public static ToolUseType FromWire(string value) => value switch
    {
        "server_tool_use" => ServerToolUse,
        _ => new(value),
    };

    /// <inheritdoc />
    public override string ToString() => Value;
}
