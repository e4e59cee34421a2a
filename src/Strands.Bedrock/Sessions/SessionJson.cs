using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Strands.Content;
using Strands.Sessions.Json;

namespace Strands.Sessions;

/// <summary>
/// The JSON of sessions, agents and messages exactly as Strands for Python writes it (<c>json.dump</c> with
/// <c>indent=2</c> and <c>ensure_ascii=False</c>): the same field names and order, bytes as
/// <c>{"__bytes_encoded__": true, "data": "&lt;base64&gt;"}</c>, and ISO 8601 timestamps with microseconds and an
/// offset (<c>2025-06-01T10:00:00.123456+00:00</c>). A custom <see cref="ISessionRepository"/> can store these bytes
/// as they are. Reading ignores fields it does not know, as Python does.
/// </summary>
public static class SessionJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 256 };

    /// <summary>Serialises a session.</summary>
    /// <param name="session">The session.</param>
    /// <returns>The UTF-8 JSON.</returns>
    public static byte[] Serialize(Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Compose(writer =>
        {
            writer.WriteString("session_id", session.SessionId);
            writer.WriteString("session_type", session.SessionType.Value);
            writer.WriteString("created_at", FormatTimestamp(session.CreatedAt));
            writer.WriteString("updated_at", FormatTimestamp(session.UpdatedAt));
        });
    }

    /// <summary>Serialises an agent.</summary>
    /// <param name="agent">The agent.</param>
    /// <returns>The UTF-8 JSON.</returns>
    public static byte[] Serialize(SessionAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return Compose(writer =>
        {
            writer.WriteString("agent_id", agent.AgentId);
            WriteDictionary(writer, "state", agent.State);
            WriteDictionary(writer, "conversation_manager_state", agent.ConversationManagerState);
            WriteDictionary(writer, "_internal_state", agent.InternalState);
            writer.WriteString("created_at", FormatTimestamp(agent.CreatedAt));
            writer.WriteString("updated_at", FormatTimestamp(agent.UpdatedAt));
        });
    }

    /// <summary>Serialises a message.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The UTF-8 JSON.</returns>
    public static byte[] Serialize(SessionMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Compose(writer =>
        {
            writer.WritePropertyName("message");
            WriteMessage(writer, message.Message, message.StoredMessage);
            writer.WriteNumber("message_id", message.MessageId);
            writer.WritePropertyName("redact_message");
            if (message.RedactMessage is { } redact)
            {
                WriteMessage(writer, redact, message.StoredRedactMessage);
            }
            else
            {
                writer.WriteNullValue();
            }

            writer.WriteString("created_at", FormatTimestamp(message.CreatedAt));
            writer.WriteString("updated_at", FormatTimestamp(message.UpdatedAt));
        });
    }

    /// <summary>Serialises a conversation message alone, as it appears inside a stored message.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The JSON element.</returns>
    public static JsonElement SerializeConversationMessage(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteMessage(writer, message, null);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory, DocumentOptions);
        return document.RootElement.Clone();
    }

    /// <summary>Reads a session.</summary>
    /// <param name="json">The UTF-8 JSON.</param>
    /// <returns>The session.</returns>
    /// <exception cref="JsonException">The JSON is malformed or lacks a required field.</exception>
    public static Session DeserializeSession(ReadOnlyMemory<byte> json)
    {
        using var document = Parse(json);
        var root = document.RootElement;
        return new Session
        {
            SessionId = RequiredString(root, "session_id"),
            SessionType = SessionType.FromWire(RequiredString(root, "session_type")),
            CreatedAt = OptionalTimestamp(root, "created_at"),
            UpdatedAt = OptionalTimestamp(root, "updated_at"),
        };
    }

    /// <summary>Reads an agent.</summary>
    /// <param name="json">The UTF-8 JSON.</param>
    /// <returns>The agent.</returns>
    /// <exception cref="JsonException">The JSON is malformed or lacks a required field.</exception>
    public static SessionAgent DeserializeAgent(ReadOnlyMemory<byte> json)
    {
        using var document = Parse(json);
        var root = document.RootElement;
        return new SessionAgent
        {
            AgentId = RequiredString(root, "agent_id"),
            State = RequiredDictionary(root, "state"),
            ConversationManagerState = RequiredDictionary(root, "conversation_manager_state"),
            InternalState = root.TryGetProperty("_internal_state", out _) ? RequiredDictionary(root, "_internal_state") : SessionAgent.EmptyObject,
            CreatedAt = OptionalTimestamp(root, "created_at"),
            UpdatedAt = OptionalTimestamp(root, "updated_at"),
        };
    }

    /// <summary>Reads a message.</summary>
    /// <param name="json">The UTF-8 JSON.</param>
    /// <returns>The message; it remembers its JSON so that writing it back loses nothing.</returns>
    /// <exception cref="JsonException">The JSON is malformed or lacks a required field.</exception>
    public static SessionMessage DeserializeMessage(ReadOnlyMemory<byte> json)
    {
        using var document = Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("message", out var messageJson) || messageJson.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The field 'message' is missing or is not an object.");
        }

        if (!root.TryGetProperty("message_id", out var idJson) || idJson.ValueKind != JsonValueKind.Number || !idJson.TryGetInt32(out var messageId) || messageId < 0)
        {
            throw new JsonException("The field 'message_id' is missing or is not a non-negative integer.");
        }

        var message = ReadMessage(messageJson);
        Message? redact = null;
        StoredJson? storedRedact = null;
        if (root.TryGetProperty("redact_message", out var redactJson) && redactJson.ValueKind != JsonValueKind.Null)
        {
            if (redactJson.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException("The field 'redact_message' is neither an object nor null.");
            }

            redact = ReadMessage(redactJson);
            storedRedact = new StoredJson(redact, redactJson.Clone());
        }

        return new SessionMessage
        {
            Message = message,
            MessageId = messageId,
            RedactMessage = redact,
            CreatedAt = OptionalTimestamp(root, "created_at"),
            UpdatedAt = OptionalTimestamp(root, "updated_at"),
            StoredMessage = new StoredJson(message, messageJson.Clone()),
            StoredRedactMessage = storedRedact,
        };
    }

    /// <summary>Reads a conversation message in its stored form (bytes encoded as Python encodes them).</summary>
    /// <param name="json">The message object.</param>
    /// <returns>The message.</returns>
    /// <exception cref="JsonException">The JSON is not a message.</exception>
    public static Message DeserializeConversationMessage(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A message must be a JSON object.");
        }

        return ReadMessage(json);
    }

    /// <summary>
    /// Formats a timestamp as Python's <c>datetime.isoformat()</c> does: microseconds only when not zero, and the
    /// offset as <c>+HH:MM</c>.
    /// </summary>
    /// <param name="value">The timestamp.</param>
    /// <returns>The text.</returns>
    internal static string FormatTimestamp(DateTimeOffset value)
    {
        var microseconds = (value.Ticks % TimeSpan.TicksPerSecond) / 10;
        var text = microseconds == 0
            ? value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        return text + value.ToString("zzz", CultureInfo.InvariantCulture);
    }

    /// <summary>The current time truncated to microseconds, the precision Python stores.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The timestamp in UTC.</returns>
    internal static DateTimeOffset Now(TimeProvider timeProvider)
    {
        var now = timeProvider.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % 10), TimeSpan.Zero);
    }

    private static Message ReadMessage(JsonElement json)
    {
        if (!json.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
        {
            throw new JsonException("A message has no 'role' string.");
        }

        if (!json.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("A message has no 'content' array.");
        }

        return json.Deserialize(SessionJsonContext.Default.Message) ?? throw new JsonException("A message is null.");
    }

    private static void WriteMessage(Utf8JsonWriter writer, Message message, StoredJson? stored)
    {
        if (stored is not null && ReferenceEquals(stored.Value, message))
        {
            stored.Json.WriteTo(writer);
            return;
        }

        var element = JsonSerializer.SerializeToElement(message, SessionJsonContext.Default.Message);
        WriteInPythonOrder(writer, element, null);
    }

    /// <summary>
    /// Writes a message the model produced with the key order Strands for Python builds its dictionaries in, so that
    /// the same message is stored as the same bytes: <c>toolResult</c> is <c>toolUseId, status, content</c> and
    /// <c>citationsContent</c> is <c>citations, content</c>; everything else already has Python's order.
    /// </summary>
    private static void WriteInPythonOrder(Utf8JsonWriter writer, JsonElement element, string? parentProperty)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                string[] first = parentProperty switch
                {
                    "toolResult" => ["toolUseId", "status"],
                    "citationsContent" => ["citations"],
                    _ => [],
                };
                foreach (var name in first)
                {
                    if (element.TryGetProperty(name, out var value))
                    {
                        writer.WritePropertyName(name);
                        WriteInPythonOrder(writer, value, name);
                    }
                }

                foreach (var property in element.EnumerateObject())
                {
                    if (Array.IndexOf(first, property.Name) < 0)
                    {
                        writer.WritePropertyName(property.Name);
                        WriteInPythonOrder(writer, property.Value, property.Name);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteInPythonOrder(writer, item, null);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static byte[] Compose(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = false, MaxDepth = 256 }))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory, DocumentOptions);
        return PythonJsonWriter.Write(document.RootElement);
    }

    private static void WriteDictionary(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, JsonElement> values)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            writer.WritePropertyName(key);
            if (value.ValueKind == JsonValueKind.Undefined)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> json)
    {
        var document = JsonDocument.Parse(json, DocumentOptions);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new JsonException("The JSON is not an object.");
        }

        return document;
    }

    private static string RequiredString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new JsonException($"The field '{name}' is missing or is not a string.");

    private static Dictionary<string, JsonElement> RequiredDictionary(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"The field '{name}' is missing or is not an object.");
        }

        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            result[property.Name] = property.Value.Clone();
        }

        return result;
    }

    private static DateTimeOffset OptionalTimestamp(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return default;
        }

        return DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : throw new JsonException($"The field '{name}' is not an ISO 8601 timestamp.");
    }
}
