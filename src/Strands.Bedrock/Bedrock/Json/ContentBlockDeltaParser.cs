using System.Text.Json;
using Strands.Content;

namespace Strands.Bedrock.Json;

/// <summary>
/// Parses the payload of a <c>contentBlockDelta</c> event, the one event a stream carries thousands of, without the
/// general serializer: System.Text.Json allocates a frame stack for every nested object it reads, several times the
/// size of the event. Text, tool-input and reasoning deltas are read here; anything else (citations, images, tool
/// results, members added later) falls back to the source-generated metadata, read strictly (<see cref="PayloadDecoder.StrictOptions"/>).
/// </summary>
internal static class ContentBlockDeltaParser
{
    public static ContentBlockDeltaEvent Parse(ReadOnlySpan<byte> json) =>
        TryParseCommon(json) ?? JsonSerializer.Deserialize(json, PayloadDecoder.Strict<ContentBlockDeltaEvent>())
            ?? throw new JsonException("A contentBlockDelta event was null.");

    /// <summary>The event, or null when the payload holds something only the general serializer handles.</summary>
    /// <exception cref="JsonException">The payload is not JSON, or a string in it is not valid Unicode (with its byte position).</exception>
    internal static ContentBlockDeltaEvent? TryParseCommon(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            return TryParseCommon(ref reader);
        }
        catch (InvalidOperationException ex)
        {
            // GetString and ValueTextEquals throw this for an unpaired surrogate escape ("\uDC00") or invalid UTF-8.
            throw new JsonException("A string in the contentBlockDelta event is not valid Unicode.", path: null, lineNumber: 0, bytePositionInLine: reader.TokenStartIndex, ex);
        }
    }

    private static ContentBlockDeltaEvent? TryParseCommon(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var index = 0;
        ContentBlockDelta? delta = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("contentBlockIndex"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out index))
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                delta = ReadDelta(ref reader);
                if (delta is null)
                {
                    return null;
                }
            }
            else
            {
                // Padding ("p") and members this version does not model.
                reader.Read();
                reader.Skip();
            }
        }

        return delta is null || reader.TokenType != JsonTokenType.EndObject
            ? null
            : new ContentBlockDeltaEvent { ContentBlockIndex = index, Delta = delta };
    }

    /// <summary>Reads a delta with exactly one common member; null for anything else.</summary>
    private static ContentBlockDelta? ReadDelta(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
        {
            return null;
        }

        ContentBlockDelta? delta;
        if (reader.ValueTextEquals("text"u8))
        {
            delta = reader.Read() && reader.TokenType == JsonTokenType.String ? new ContentBlockDelta { Text = reader.GetString() } : null;
        }
        else if (reader.ValueTextEquals("toolUse"u8))
        {
            delta = ReadSingleStringObject(ref reader, "input"u8) is { } input ? new ContentBlockDelta { ToolUse = new ToolUseBlockDelta { Input = input } } : null;
        }
        else if (reader.ValueTextEquals("reasoningContent"u8))
        {
            delta = ReadReasoning(ref reader) is { } reasoning ? new ContentBlockDelta { ReasoningContent = reasoning } : null;
        }
        else
        {
            return null;
        }

        // Exactly one member: a second one (or anything unexpected) goes to the general serializer.
        return delta is not null && reader.Read() && reader.TokenType == JsonTokenType.EndObject ? delta : null;
    }

    private static string? ReadSingleStringObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
            || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals(name)
            || !reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            return null;
        }

        var value = reader.GetString();
        return reader.Read() && reader.TokenType == JsonTokenType.EndObject ? value : null;
    }

    private static ReasoningContentBlockDelta? ReadReasoning(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
        {
            return null;
        }

        ReasoningContentBlockDelta? reasoning;
        if (reader.ValueTextEquals("text"u8))
        {
            reasoning = reader.Read() && reader.TokenType == JsonTokenType.String ? new ReasoningContentBlockDelta { Text = reader.GetString() } : null;
        }
        else if (reader.ValueTextEquals("signature"u8))
        {
            reasoning = reader.Read() && reader.TokenType == JsonTokenType.String ? new ReasoningContentBlockDelta { Signature = reader.GetString() } : null;
        }
        else if (reader.ValueTextEquals("redactedContent"u8))
        {
            reasoning = reader.Read() && reader.TokenType == JsonTokenType.String && reader.TryGetBytesFromBase64(out var bytes)
                ? new ReasoningContentBlockDelta { RedactedContent = bytes }
                : null;
        }
        else
        {
            return null;
        }

        return reasoning is not null && reader.Read() && reader.TokenType == JsonTokenType.EndObject ? reasoning : null;
    }
}
