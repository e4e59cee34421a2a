using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using Strands.Content;

namespace Strands.Bedrock.Json;

/// <summary>
/// Decodes event payloads and Converse bodies, and turns every way they can be malformed into a
/// <see cref="MalformedResponseException"/>: invalid UTF-8 is rejected before parsing (so no string the service sent
/// can fail later, in the agent), and the parser's <see cref="JsonException"/>, <see cref="InvalidOperationException"/>
/// (a string with an unpaired surrogate escape, a token of the wrong type) and conversion errors are mapped. Messages
/// quote no payload content.
/// </summary>
internal static class PayloadDecoder
{
    /// <summary>
    /// The options responses are read with: the source-generated metadata of <see cref="BedrockJsonContext"/>, with every
    /// member the types declare non-nullable required and JSON <c>null</c> refused for it, so a decoded event never hands
    /// the agent a null (or a string-backed value without a value) where the type promises one. The non-nullable members
    /// of the response shapes are exactly the members the service model marks <c>@required</c> (checked against
    /// <c>bedrock-runtime.json</c>). Requests keep the shared, lenient context.
    /// </summary>
    internal static readonly JsonSerializerOptions StrictOptions = new(BedrockJsonContext.Default.Options)
    {
        RespectNullableAnnotations = true,
        TypeInfoResolver = BedrockJsonContext.Default.WithAddedModifier(RequireNonNullableMembers),
    };

    /// <summary>The strict metadata of <typeparamref name="T"/> (see <see cref="StrictOptions"/>).</summary>
    /// <typeparam name="T">A type of <see cref="BedrockJsonContext"/>.</typeparam>
    /// <returns>The metadata.</returns>
    internal static JsonTypeInfo<T> Strict<T>() => StrictTypeInfo<T>.Value;

    /// <summary>Deserialises <paramref name="payload"/> with the source-generated <paramref name="typeInfo"/>.</summary>
    /// <typeparam name="T">The shape.</typeparam>
    /// <param name="payload">The UTF-8 JSON.</param>
    /// <param name="typeInfo">The shape's metadata.</param>
    /// <param name="eventType">The frame's event type, or null for a Converse body.</param>
    /// <param name="frameOffset">The frame's offset in the stream, or null for a Converse body.</param>
    /// <returns>The value, never null.</returns>
    /// <exception cref="MalformedResponseException">The payload is not valid UTF-8, not JSON, or not of the shape.</exception>
    public static T Decode<T>(ReadOnlySpan<byte> payload, JsonTypeInfo<T> typeInfo, string? eventType, long? frameOffset)
    {
        ThrowIfNotUtf8(payload, eventType, frameOffset);
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(payload, typeInfo.Options == StrictOptions ? typeInfo : Strict<T>());
        }
        catch (Exception ex) when (IsDecodingError(ex))
        {
            throw Malformed(ex, eventType, frameOffset);
        }

        return value ?? throw MalformedResponseException.For(Describe(eventType), "is JSON null", eventType, frameOffset, payloadOffset: null, innerException: null);
    }

    /// <summary>
    /// Decodes an event payload: its usual shape through <see cref="StreamEventParser"/>, anything else as
    /// <see cref="Decode{T}"/> does. The metadata is asked for only then: building it is what the usual shapes avoid.
    /// </summary>
    /// <typeparam name="T">The event type.</typeparam>
    /// <param name="payload">The UTF-8 JSON.</param>
    /// <param name="typeInfo">Gives the event type's metadata.</param>
    /// <param name="eventType">The frame's event type.</param>
    /// <param name="frameOffset">The frame's offset in the stream.</param>
    /// <returns>The event, never null.</returns>
    /// <exception cref="MalformedResponseException">The payload is not valid UTF-8, not JSON, or not of the shape.</exception>
    public static T DecodeEvent<T>(ReadOnlySpan<byte> payload, Func<JsonTypeInfo<T>> typeInfo, string eventType, long frameOffset)
        where T : StreamEvent
    {
        ThrowIfNotUtf8(payload, eventType, frameOffset);
        return StreamEventParser.TryParse(payload, typeof(T)) as T ?? Decode(payload, typeInfo(), eventType, frameOffset);
    }

    /// <summary>Decodes a <c>contentBlockDelta</c> payload through the allocation-light parser.</summary>
    /// <param name="payload">The UTF-8 JSON.</param>
    /// <param name="frameOffset">The frame's offset in the stream.</param>
    /// <returns>The event.</returns>
    /// <exception cref="MalformedResponseException">The payload is not valid UTF-8, not JSON, or not of the shape.</exception>
    public static ContentBlockDeltaEvent DecodeDelta(ReadOnlySpan<byte> payload, long frameOffset)
    {
        ThrowIfNotUtf8(payload, ContentBlockDeltaEvent.Name, frameOffset);
        try
        {
            return ContentBlockDeltaParser.Parse(payload);
        }
        catch (Exception ex) when (IsDecodingError(ex))
        {
            throw Malformed(ex, ContentBlockDeltaEvent.Name, frameOffset);
        }
    }

    /// <summary>Whether <paramref name="exception"/> is one a JSON decoder throws for bad input (not a cancellation or a bug elsewhere).</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>True for decoding errors.</returns>
    internal static bool IsDecodingError(Exception exception) =>
        exception is JsonException or InvalidOperationException or FormatException or OverflowException or ArgumentException or NotSupportedException;

    /// <summary>The index of the first byte that does not start a valid UTF-8 sequence, or -1.</summary>
    /// <param name="utf8">The bytes.</param>
    /// <returns>The index, or -1 when all of it is valid.</returns>
    internal static int IndexOfInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            return -1;
        }

        var index = 0;
        while (index < utf8.Length)
        {
            if (Rune.DecodeFromUtf8(utf8[index..], out _, out var consumed) != OperationStatus.Done)
            {
                return index;
            }

            index += consumed;
        }

        return -1;
    }

    /// <summary>
    /// Marks as required every property of a non-nullable reference type, and every property of one of the library's
    /// string-backed value types (<c>StopReason</c>, <c>ConversationRole</c>, …), which has no value when absent.
    /// </summary>
    private static void RequireNonNullableMembers(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            var type = property.PropertyType;
            var nonNullableReference = !type.IsValueType && !property.IsSetNullable;
            var stringBacked = type.IsValueType && Nullable.GetUnderlyingType(type) is null && type.Assembly == typeof(StopReason).Assembly && !type.IsEnum;
            if (property.Set is not null && (nonNullableReference || stringBacked))
            {
                property.IsRequired = true;
            }
        }
    }

    private static void ThrowIfNotUtf8(ReadOnlySpan<byte> payload, string? eventType, long? frameOffset)
    {
        var invalid = IndexOfInvalidUtf8(payload);
        if (invalid >= 0)
        {
            throw MalformedResponseException.For(Describe(eventType), "is not valid UTF-8", eventType, frameOffset, invalid, innerException: null);
        }

        ThrowIfUnpairedSurrogateEscape(payload, eventType, frameOffset);
    }

    /// <summary>
    /// An escaped lone surrogate (<c>"\uDC00"</c>) is valid UTF-8 and valid JSON syntax, but not text: the parser fails
    /// only when the string is read, which for a member kept as a <see cref="JsonElement"/> (extra response fields, a
    /// trace) would be later, in the agent. So a payload with any surrogate escape has each escaped string unescaped
    /// once here. Payloads without one (nearly all) are only scanned.
    /// </summary>
    private static void ThrowIfUnpairedSurrogateEscape(ReadOnlySpan<byte> payload, string? eventType, long? frameOffset)
    {
        if (!HasSurrogateEscape(payload))
        {
            return;
        }

        var reader = new Utf8JsonReader(payload);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON at all: the deserializer reports that, with its position.
        }
        catch (InvalidOperationException ex)
        {
            throw MalformedResponseException.For(Describe(eventType), "holds a string that is not valid Unicode (an unpaired surrogate escape)", eventType, frameOffset, reader.TokenStartIndex, ex);
        }
    }

    /// <summary>Whether the payload contains <c>\uD800</c>–<c>\uDFFF</c> in any case (or something that looks like it).</summary>
    private static bool HasSurrogateEscape(ReadOnlySpan<byte> payload)
    {
        var index = payload.IndexOf("\\u"u8);
        while (index >= 0 && index + 3 < payload.Length)
        {
            if (payload[index + 2] is (byte)'d' or (byte)'D' && payload[index + 3] is >= (byte)'8' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F')
            {
                return true;
            }

            var next = payload[(index + 2)..].IndexOf("\\u"u8);
            index = next < 0 ? -1 : index + 2 + next;
        }

        return false;
    }

    private static MalformedResponseException Malformed(Exception error, string? eventType, long? frameOffset)
    {
        long? position = error is JsonException { LineNumber: 0, BytePositionInLine: { } inLine } ? inLine : null;
        var problem = error switch
        {
            JsonException { Path: { Length: > 0 } path } => $"is not valid JSON of its shape at {path}",
            JsonException => "is not valid JSON of its shape",
            InvalidOperationException => "holds a string that is not valid Unicode (an unpaired surrogate escape) or a value of the wrong type",
            _ => $"holds a value that cannot be converted ({error.GetType().Name})",
        };
        return MalformedResponseException.For(Describe(eventType), problem, eventType, frameOffset, position, error);
    }

    private static string Describe(string? eventType) => eventType is null ? "a Converse response body" : $"a {eventType} event";
}

internal static class StrictTypeInfo<T>
{
    public static readonly JsonTypeInfo<T> Value = (JsonTypeInfo<T>)PayloadDecoder.StrictOptions.GetTypeInfo(typeof(T));
}
