using System.Text.Json;
using Strands.Content;

namespace Strands.Bedrock.Json;

/// <summary>
/// Reads the usual shapes of the stream's other events with a <see cref="Utf8JsonReader"/>: <c>messageStart</c> (role),
/// <c>contentBlockStart</c> of a tool use, <c>contentBlockStop</c>, <c>messageStop</c> (stop reason) and
/// <c>metadata</c> (usage and latency). It gives the value the strict metadata path would give, or null for anything
/// else (other members, nulls, a missing required member, a duplicate, malformed JSON), which then goes through
/// <see cref="PayloadDecoder.StrictOptions"/> with its own errors. Why: the metadata of an event type is built on its
/// first use, with the strict modifiers over every property, which a process pays before its first answer is read.
/// </summary>
internal static class StreamEventParser
{
    /// <summary>The event of type <paramref name="type"/> read from <paramref name="json"/>, or null.</summary>
    /// <param name="json">The payload (already checked to be UTF-8).</param>
    /// <param name="type">The event type expected.</param>
    /// <returns>The event, or null when the general path must read it.</returns>
    public static StreamEvent? TryParse(ReadOnlySpan<byte> json, Type type)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            return type == typeof(MessageStartEvent) ? MessageStart(ref reader)
                : type == typeof(ContentBlockStopEvent) ? ContentBlockStop(ref reader)
                : type == typeof(MessageStopEvent) ? MessageStop(ref reader)
                : type == typeof(ContentBlockStartEvent) ? ContentBlockStart(ref reader)
                : type == typeof(MetadataEvent) ? Metadata(ref reader)
                : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            // Malformed: the general path reports it in its own words.
            return null;
        }
    }

    private static MessageStartEvent? MessageStart(ref Utf8JsonReader reader) =>
        RequiredString(ref reader, "role"u8, decline: default) is { } role ? new MessageStartEvent { Role = ConversationRole.FromWire(role) } : null;

    private static ContentBlockStopEvent? ContentBlockStop(ref Utf8JsonReader reader)
    {
        int? index = null;
        if (!StartObject(ref reader))
        {
            return null;
        }

        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("contentBlockIndex"u8))
            {
                if (index is not null || (index = ReadInt32(ref reader)) is null)
                {
                    return null;
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return !AtEnd(ref reader) ? null : new ContentBlockStopEvent { ContentBlockIndex = index ?? 0 };
    }

    private static MessageStopEvent? MessageStop(ref Utf8JsonReader reader) =>
        RequiredString(ref reader, "stopReason"u8, decline: "additionalModelResponseFields"u8) is { } stopReason
            ? new MessageStopEvent { StopReason = StopReason.FromWire(stopReason) }
            : null;

    private static ContentBlockStartEvent? ContentBlockStart(ref Utf8JsonReader reader)
    {
        int? index = null;
        ToolUseBlockStart? toolUse = null;
        if (!StartObject(ref reader))
        {
            return null;
        }

        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("contentBlockIndex"u8))
            {
                if (index is not null || (index = ReadInt32(ref reader)) is null)
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals("start"u8))
            {
                // Exactly {"toolUse":{"toolUseId":…,"name":…}}; any other start goes to the general path.
                if (toolUse is not null
                    || !StartObject(ref reader)
                    || !NextProperty(ref reader) || !reader.ValueTextEquals("toolUse"u8)
                    || (toolUse = ToolUseStart(ref reader)) is null
                    || NextProperty(ref reader))
                {
                    return null;
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return toolUse is null || !AtEnd(ref reader) ? null : new ContentBlockStartEvent { ContentBlockIndex = index ?? 0, Start = new ContentBlockStart { ToolUse = toolUse } };
    }

    private static ToolUseBlockStart? ToolUseStart(ref Utf8JsonReader reader)
    {
        string? id = null;
        string? name = null;
        if (!StartObject(ref reader))
        {
            return null;
        }

        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("toolUseId"u8))
            {
                if (id is not null || (id = ReadString(ref reader)) is null)
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                if (name is not null || (name = ReadString(ref reader)) is null)
                {
                    return null;
                }
            }
            else
            {
                return null;
            }
        }

        return id is null || name is null ? null : new ToolUseBlockStart { ToolUseId = id, Name = name };
    }

    private static MetadataEvent? Metadata(ref Utf8JsonReader reader)
    {
        TokenUsage? usage = null;
        ConverseMetrics? metrics = null;
        if (!StartObject(ref reader))
        {
            return null;
        }

        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("usage"u8))
            {
                if (usage is not null || (usage = Usage(ref reader)) is null)
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals("metrics"u8))
            {
                if (metrics is not null || (metrics = Metrics(ref reader)) is null)
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals("trace"u8) || reader.ValueTextEquals("performanceConfig"u8) || reader.ValueTextEquals("serviceTier"u8))
            {
                return null;
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return usage is null || metrics is null || !AtEnd(ref reader) ? null : new MetadataEvent { Usage = usage, Metrics = metrics };
    }

    private static TokenUsage? Usage(ref Utf8JsonReader reader)
    {
        int? input = null, output = null, total = null, cacheRead = null, cacheWrite = null;
        if (!StartObject(ref reader))
        {
            return null;
        }

        while (NextProperty(ref reader))
        {
            ref var target = ref input;
            if (reader.ValueTextEquals("inputTokens"u8))
            {
                target = ref input;
            }
            else if (reader.ValueTextEquals("outputTokens"u8))
            {
                target = ref output;
            }
            else if (reader.ValueTextEquals("totalTokens"u8))
            {
                target = ref total;
            }
            else if (reader.ValueTextEquals("cacheReadInputTokens"u8))
            {
                target = ref cacheRead;
            }
            else if (reader.ValueTextEquals("cacheWriteInputTokens"u8))
            {
                target = ref cacheWrite;
            }
            else
            {
                // cacheDetails, or members added later: the general path.
                return null;
            }

            if (target is not null || (target = ReadInt32(ref reader)) is null)
            {
                return null;
            }
        }

        return new TokenUsage
        {
            InputTokens = input ?? 0,
            OutputTokens = output ?? 0,
            TotalTokens = total ?? 0,
            CacheReadInputTokens = cacheRead,
            CacheWriteInputTokens = cacheWrite,
        };
    }

    private static ConverseMetrics? Metrics(ref Utf8JsonReader reader)
    {
        long? latency = null;
        if (!StartObject(ref reader))
        {
            return null;
        }

        while (NextProperty(ref reader))
        {
            if (!reader.ValueTextEquals("latencyMs"u8) || latency is not null || !reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
            {
                return null;
            }

            latency = value;
        }

        return new ConverseMetrics { LatencyMs = latency ?? 0 };
    }

    /// <summary>
    /// The string member <paramref name="name"/> of a whole payload object whose other members are skipped; null when it
    /// is missing, repeated or not a string, or when the object has a member <paramref name="decline"/>.
    /// </summary>
    private static string? RequiredString(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, ReadOnlySpan<byte> decline)
    {
        string? value = null;
        if (!StartObject(ref reader))
        {
            return null;
        }

        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals(name))
            {
                if (value is not null || (value = ReadString(ref reader)) is null)
                {
                    return null;
                }
            }
            else if (!decline.IsEmpty && reader.ValueTextEquals(decline))
            {
                return null;
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return AtEnd(ref reader) ? value : null;
    }

    private static bool StartObject(ref Utf8JsonReader reader) => reader.Read() && reader.TokenType == JsonTokenType.StartObject;

    /// <summary>Moves to the next property name of the current object; false at its end (or on anything else, which <see cref="AtEnd"/> then rejects).</summary>
    private static bool NextProperty(ref Utf8JsonReader reader) => reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    /// <summary>True when the object just closed was the whole payload.</summary>
    private static bool AtEnd(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0 && !reader.Read();

    private static string? ReadString(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;

    private static int? ReadInt32(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value : null;

    private static void SkipValue(ref Utf8JsonReader reader)
    {
        // Padding ("p") and members this version does not model, as the general path ignores them.
        reader.Read();
        reader.Skip();
    }
}
