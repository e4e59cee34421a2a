using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>The role of a message author. Values the service adds later parse too.</summary>
/// <param name="Value">The value as it appears on the wire.</param>
[JsonConverter(typeof(StringBackedJsonConverter<ConversationRole>))]
public readonly record struct ConversationRole(string Value) : IStringBacked<ConversationRole>
{
    /// <summary>The value <c>user</c>.</summary>
    public static ConversationRole User { get; } = new("user");

    /// <summary>The value <c>assistant</c>.</summary>
    public static ConversationRole Assistant { get; } = new("assistant");

    /// <inheritdoc />
    public static ConversationRole FromWire(string value) => value switch
    {
        "user" => User, "assistant" => Assistant,
        _ => new(value),
    };

    /// <inheritdoc />
    public override string ToString() => Value;
}
