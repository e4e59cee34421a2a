using System.Buffers;
using System.Text;
using System.Text.Json;
using Strands.Bedrock.EventStream;
using Strands.Bedrock.Json;
using Strands.Content;

namespace Strands.Bedrock.Testing.Internal;

/// <summary>Turns a <see cref="FakeResponse"/> into a ConverseResponse body, or into ConverseStream events and frames.</summary>
internal sealed class ResponseRenderer : IDisposable
{
    private const string PaddingAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private static readonly EventStreamHeader ContentTypeJson = EventStreamHeader.String(":content-type", "application/json");
    private static readonly EventStreamHeader MessageTypeEvent = EventStreamHeader.String(":message-type", "event");
    private static readonly Dictionary<string, EventStreamHeader[]> EventHeaders = new[]
    {
        MessageStartEvent.Name, ContentBlockStartEvent.Name, ContentBlockDeltaEvent.Name, ContentBlockStopEvent.Name,
        MessageStopEvent.Name, MetadataEvent.Name,
    }.ToDictionary(name => name, name => new[] { EventStreamHeader.String(":event-type", name), ContentTypeJson, MessageTypeEvent }, StringComparer.Ordinal);

    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private readonly ArrayBufferWriter<byte> _payload = new(1024);
    private readonly ArrayBufferWriter<byte> _frame = new(1024);
    private Utf8JsonWriter? _writer;

    /// <summary>The ConverseResponse a Converse call answers with.</summary>
    public static ConverseResponse ToConverseResponse(FakeResponse response) => new()
    {
        Output = new ConverseOutput { Message = new Message { Role = ConversationRole.Assistant, Content = response.Content } },
        StopReason = response.EffectiveStopReason,
        Usage = response.Usage,
        Metrics = new ConverseMetrics { LatencyMs = response.LatencyMs },
        Trace = response.Trace,
        AdditionalModelResponseFields = response.AdditionalModelResponseFields,
    };

    /// <summary>The ConverseResponse JSON body.</summary>
    public static byte[] ConverseBody(FakeResponse response) =>
        JsonSerializer.SerializeToUtf8Bytes(ToConverseResponse(response), BedrockJsonContext.Default.ConverseResponse);

    /// <summary>A Converse body cut short: well-formed, but its output has no message.</summary>
    public static byte[] TruncatedConverseBody { get; } = """{"metrics":{"latencyMs":0},"output":{},"stopReason":"end_turn","usage":{"inputTokens":0,"outputTokens":0,"totalTokens":0}}"""u8.ToArray();

    /// <summary>The events a ConverseStream call sends for <paramref name="response"/>, in order (no fault).</summary>
    public static IEnumerable<StreamEvent> Events(FakeResponse response)
    {
        yield return new MessageStartEvent { Role = ConversationRole.Assistant };
        var index = 0;
        foreach (var block in response.Content)
        {
            if (block.ToolUse is { } toolUse)
            {
                yield return new ContentBlockStartEvent
                {
                    ContentBlockIndex = index,
                    Start = new ContentBlockStart { ToolUse = new ToolUseBlockStart { ToolUseId = toolUse.ToolUseId, Name = toolUse.Name, Type = toolUse.Type } },
                };

                // The service streams the input JSON in fragments; two make the client join them.
                var input = toolUse.Input.GetRawText();
                var half = input.Length / 2;
                if (half > 0 && char.IsLowSurrogate(input[half]))
                {
                    half--;
                }

                if (half > 0)
                {
                    yield return Delta(index, new ContentBlockDelta { ToolUse = new ToolUseBlockDelta { Input = input[..half] } });
                }

                yield return Delta(index, new ContentBlockDelta { ToolUse = new ToolUseBlockDelta { Input = input[half..] } });
            }
            else if (block.Text is { } text)
            {
                foreach (var piece in Split(text, response.TextDeltaLength))
                {
                    yield return Delta(index, new ContentBlockDelta { Text = piece });
                }
            }
            else if (block.ReasoningContent is { } reasoning)
            {
                if (reasoning.ReasoningText is { } reasoningText)
                {
                    foreach (var piece in Split(reasoningText.Text, response.TextDeltaLength))
                    {
                        yield return Delta(index, new ContentBlockDelta { ReasoningContent = new ReasoningContentBlockDelta { Text = piece } });
                    }

                    if (reasoningText.Signature is { } signature)
                    {
                        yield return Delta(index, new ContentBlockDelta { ReasoningContent = new ReasoningContentBlockDelta { Signature = signature } });
                    }
                }

                if (reasoning.RedactedContent is { } redacted)
                {
                    yield return Delta(index, new ContentBlockDelta { ReasoningContent = new ReasoningContentBlockDelta { RedactedContent = redacted } });
                }
            }
            else if (block.CitationsContent is { } citations)
            {
                var generated = string.Concat((citations.Content ?? []).Select(c => c.Text));
                foreach (var piece in Split(generated, response.TextDeltaLength))
                {
                    yield return Delta(index, new ContentBlockDelta { Text = piece });
                }

                foreach (var citation in citations.Citations ?? [])
                {
                    yield return Delta(index, new ContentBlockDelta
                    {
                        Citation = new CitationsDelta { Title = citation.Title, Source = citation.Source, SourceContent = citation.SourceContent, Location = citation.Location },
                    });
                }
            }

            yield return new ContentBlockStopEvent { ContentBlockIndex = index };
            index++;
        }

        yield return new MessageStopEvent { StopReason = response.EffectiveStopReason, AdditionalModelResponseFields = response.AdditionalModelResponseFields };
        yield return new MetadataEvent
        {
            Usage = response.Usage,
            Metrics = new ConverseMetrics { LatencyMs = response.LatencyMs },
            Trace = response.Trace,
        };
    }

    /// <summary>Encodes one event as a frame, its payload padded with <c>"p"</c>. The memory is valid until the next call.</summary>
    public ReadOnlyMemory<byte> EncodeEvent(StreamEvent streamEvent, int sequence)
    {
        _json.ResetWrittenCount();
        if (_writer is null)
        {
            _writer = new Utf8JsonWriter(_json);
        }
        else
        {
            _writer.Reset(_json);
        }

        WriteEvent(_writer, streamEvent);
        _writer.Flush();

        // Like the service, pad every payload with a "p" member of varying length so that sizes do not leak content.
        var json = _json.WrittenSpan;
        _payload.ResetWrittenCount();
        _payload.Write(json[..^1]);
        _payload.Write(",\"p\":\""u8);
        var padLength = 1 + ((sequence * 7) + json.Length) % 40;
        var pad = _payload.GetSpan(padLength);
        Encoding.ASCII.GetBytes(PaddingAlphabet.AsSpan(0, padLength), pad);
        _payload.Advance(padLength);
        _payload.Write("\"}"u8);

        _frame.ResetWrittenCount();
        EventStreamWriter.WriteFrame(_frame, EventHeaders[streamEvent.EventType], _payload.WrittenSpan);
        return _frame.WrittenMemory;
    }

    /// <inheritdoc />
    public void Dispose() => _writer?.Dispose();

    /// <summary>
    /// Writes an event's wire members. The top level is written by hand: the event records' <c>EventType</c>
    /// override would otherwise appear as an <c>eventType</c> member, which the service never sends.
    /// </summary>
    private static void WriteEvent(Utf8JsonWriter writer, StreamEvent streamEvent)
    {
        var context = BedrockJsonContext.Default;
        writer.WriteStartObject();
        switch (streamEvent)
        {
            case ContentBlockDeltaEvent e:
                writer.WritePropertyName("delta");
                JsonSerializer.Serialize(writer, e.Delta, context.ContentBlockDelta);
                writer.WriteNumber("contentBlockIndex", e.ContentBlockIndex);
                break;
            case ContentBlockStartEvent e:
                writer.WritePropertyName("start");
                JsonSerializer.Serialize(writer, e.Start, context.ContentBlockStart);
                writer.WriteNumber("contentBlockIndex", e.ContentBlockIndex);
                break;
            case ContentBlockStopEvent e:
                writer.WriteNumber("contentBlockIndex", e.ContentBlockIndex);
                break;
            case MessageStartEvent e:
                writer.WriteString("role", e.Role.Value);
                break;
            case MessageStopEvent e:
                writer.WriteString("stopReason", e.StopReason.Value);
                if (e.AdditionalModelResponseFields is { } fields)
                {
                    writer.WritePropertyName("additionalModelResponseFields");
                    fields.WriteTo(writer);
                }

                break;
            case MetadataEvent e:
                writer.WritePropertyName("usage");
                JsonSerializer.Serialize(writer, e.Usage, context.TokenUsage);
                writer.WritePropertyName("metrics");
                JsonSerializer.Serialize(writer, e.Metrics, context.ConverseMetrics);
                if (e.Trace is { } trace)
                {
                    writer.WritePropertyName("trace");
                    JsonSerializer.Serialize(writer, trace, context.ConverseTrace);
                }

                break;
            default:
                throw new ArgumentException($"The fake cannot send a {streamEvent.EventType} event.", nameof(streamEvent));
        }

        writer.WriteEndObject();
    }

    /// <summary>Encodes the frame of a mid-stream fault.</summary>
    public static byte[] EncodeFault(FakeStreamFault fault)
    {
        if (fault.Kind == FakeStreamFaultKind.Error)
        {
            return EventStreamWriter.EncodeError(fault.Type, fault.Message);
        }

        var payload = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(payload))
        {
            writer.WriteStartObject();
            writer.WriteString("message", fault.Message);
            if (fault.OriginalStatusCode is { } status)
            {
                writer.WriteNumber("originalStatusCode", status);
            }

            if (fault.OriginalMessage is { } original)
            {
                writer.WriteString("originalMessage", original);
            }

            writer.WriteEndObject();
        }

        return EventStreamWriter.EncodeException(fault.Type, payload.WrittenSpan);
    }

    /// <summary>The HTTP error a Converse call answers with for a stream fault.</summary>
    public static FakeError ToHttpError(FakeStreamFault fault)
    {
        if (fault.Kind == FakeStreamFaultKind.Error)
        {
            return new FakeError(fault.Type, 500, fault.Message);
        }

        var pascal = char.ToUpperInvariant(fault.Type[0]) + fault.Type[1..];
        var status = pascal switch
        {
            "ModelStreamErrorException" => 424,
            "ThrottlingException" => 429,
            "ValidationException" => 400,
            "ServiceUnavailableException" => 503,
            _ => 500,
        };
        return new FakeError(pascal, status, fault.Message);
    }

    /// <summary>The JSON body of an error: <c>{"message": …}</c>.</summary>
    public static byte[] ErrorBody(string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Splits text into pieces of at most <paramref name="length"/> characters, never inside a surrogate pair.</summary>
    internal static IEnumerable<string> Split(string text, int length)
    {
        if (text.Length <= length)
        {
            yield return text;
            yield break;
        }

        var start = 0;
        while (start < text.Length)
        {
            var end = Math.Min(text.Length, start + length);
            if (end < text.Length && char.IsLowSurrogate(text[end]))
            {
                // Keep the pair together: cut before it, or after it when it is all the piece holds.
                end += end - start > 1 ? -1 : 1;
            }

            yield return text[start..end];
            start = end;
        }
    }

    private static ContentBlockDeltaEvent Delta(int index, ContentBlockDelta delta) => new() { ContentBlockIndex = index, Delta = delta };
}
