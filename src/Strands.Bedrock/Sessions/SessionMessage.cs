using System.Text.Json;
using Strands.Content;

namespace Strands.Sessions;

/// <summary>
/// One message of an agent's conversation as a session stores it: <c>messages/message_&lt;id&gt;.json</c> with the
/// fields of Strands for Python (<c>message</c>, <c>message_id</c>, <c>redact_message</c>, <c>created_at</c>,
/// <c>updated_at</c>). Bytes (images, documents, redacted reasoning) are stored as
/// <c>{"__bytes_encoded__": true, "data": "&lt;base64&gt;"}</c>.
/// </summary>
/// <remarks>
/// A message read from a store keeps the exact JSON it was read from: fields this version does not model (for
/// example the <c>metadata</c> that Python attaches to assistant messages) are written back unchanged as long as
/// <see cref="Message"/> is not replaced.
/// </remarks>
public sealed record SessionMessage
{
    private readonly Message _message = null!;
    private readonly Message? _redactMessage;
    private readonly int _messageId;

    /// <summary>The message as it was added to the conversation.</summary>
    public required Message Message
    {
        get => _message;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _message = value;
        }
    }

    /// <summary>The message's position in the agent's conversation since it began: 0, 1, 2, …</summary>
    public required int MessageId
    {
        get => _messageId;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _messageId = value;
        }
    }

    /// <summary>When a guardrail redacted the message, the content to use instead; null otherwise.</summary>
    public Message? RedactMessage
    {
        get => _redactMessage;
        init => _redactMessage = value;
    }

    /// <summary>When the message was stored.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the message was last stored.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The JSON <see cref="Message"/> was read from, written back while <see cref="Message"/> is that same object.</summary>
    internal StoredJson? StoredMessage { get; init; }

    /// <summary>The JSON <see cref="RedactMessage"/> was read from, written back while <see cref="RedactMessage"/> is that same object.</summary>
    internal StoredJson? StoredRedactMessage { get; init; }

    /// <summary>The message to put in the conversation: <see cref="RedactMessage"/> when set, else <see cref="Message"/>.</summary>
    /// <returns>The message.</returns>
    public Message ToMessage() => RedactMessage ?? Message;
}

/// <summary>A value as read from a store, and the JSON it was read from.</summary>
/// <param name="Value">The value read.</param>
/// <param name="Json">Its JSON.</param>
internal sealed record StoredJson(object Value, JsonElement Json);
