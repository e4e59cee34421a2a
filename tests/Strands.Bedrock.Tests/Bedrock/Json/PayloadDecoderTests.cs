using System.Text;
using System.Text.Json;
using Strands.Bedrock;
using Strands.Bedrock.Json;
using Strands.Content;
using Xunit.Abstractions;

namespace Strands.Tests.Bedrock.Json;

/// <summary>
/// Every way an event payload can be malformed becomes a <see cref="MalformedResponseException"/> naming the event
/// type and byte offsets, never an <see cref="InvalidOperationException"/> or a null where a member is required.
/// </summary>
public class PayloadDecoderTests(ITestOutputHelper output)
{
    private const long FrameOffset = 4242;

    private static byte[] Bytes(string ascii, byte[]? insert = null, int at = 0)
    {
        var bytes = Encoding.UTF8.GetBytes(ascii);
        return insert is null ? bytes : [.. bytes.AsSpan(0, at), .. insert, .. bytes.AsSpan(at)];
    }

    [Fact]
    public void A_delta_whose_text_holds_a_latin1_byte_is_a_typed_error_at_that_byte()
    {
        var json = """{"contentBlockIndex":0,"delta":{"text":"caf"}}""";
        var payload = Bytes(json, [0xFF], json.IndexOf("caf", StringComparison.Ordinal) + 3);

        var error = Assert.Throws<MalformedResponseException>(() => PayloadDecoder.DecodeDelta(payload, FrameOffset));

        Assert.Equal(ContentBlockDeltaEvent.Name, error.EventType);
        Assert.Equal(FrameOffset, error.FrameOffset);
        Assert.Equal(json.IndexOf("caf", StringComparison.Ordinal) + 3, error.PayloadOffset);
        Assert.Equal(MalformedResponseException.InvalidResponseErrorCode, error.ErrorCode);
        Assert.Contains("contentBlockDelta", error.Message, StringComparison.Ordinal);
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
        Assert.Contains("4242", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsRetryable);
    }

    [Theory]
    [InlineData("""{"contentBlockIndex":0,"delta":{"text":"a\uDC00b"}}""")]
    [InlineData("""{"contentBlockIndex":0,"delta":{"text":"\uD800"}}""")]
    [InlineData("""{"contentBlockIndex":0,"delta":{"toolUse":{"input":"{\"x\": \"\uDFFF\"}"}}}""")]
    [InlineData("""{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"\uD800\u0041"}}}""")]
    [InlineData("""{"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"\uDC00"}}}""")]
    [InlineData("""{"contentBlockIndex":0,"delta":{"text":"ok","citation":{"title":"\uDC00"}}}""")]
    [InlineData("""{"contentBlockIndex":0,"de\uDC00lta":{"text":"a"}}""")]
    public void A_delta_with_an_escaped_lone_surrogate_is_a_typed_error(string json)
    {
        var error = Assert.Throws<MalformedResponseException>(() => PayloadDecoder.DecodeDelta(Encoding.UTF8.GetBytes(json), FrameOffset));

        Assert.Equal(ContentBlockDeltaEvent.Name, error.EventType);
        Assert.Equal(FrameOffset, error.FrameOffset);
        Assert.NotNull(error.InnerException);
        Assert.DoesNotContain("\uFFFD", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_payload_offset_of_a_lone_surrogate_is_where_its_string_starts()
    {
        var json = """{"contentBlockIndex":0,"delta":{"text":"a\uDC00b"}}""";

        var error = Assert.Throws<MalformedResponseException>(() => PayloadDecoder.DecodeDelta(Encoding.UTF8.GetBytes(json), FrameOffset));

        Assert.Equal(json.IndexOf("\"a\\", StringComparison.Ordinal), error.PayloadOffset);
    }

    public static TheoryData<string, string> MissingOrNullRequiredMembers => new()
    {
        { ContentBlockDeltaEvent.Name, """{"contentBlockIndex":0}""" },
        { ContentBlockDeltaEvent.Name, """{"contentBlockIndex":0,"delta":null}""" },
        { ContentBlockDeltaEvent.Name, """{"contentBlockIndex":0,"delta":{"toolUse":{}}}""" },
        { ContentBlockDeltaEvent.Name, """{"contentBlockIndex":0,"delta":{"toolUse":{"input":null}}}""" },
        { ContentBlockStartEvent.Name, """{"contentBlockIndex":1}""" },
        { ContentBlockStartEvent.Name, """{"contentBlockIndex":1,"start":{"toolUse":{"toolUseId":"t1"}}}""" },
        { ContentBlockStartEvent.Name, """{"contentBlockIndex":1,"start":{"toolUse":{"toolUseId":null,"name":"n"}}}""" },
        { MessageStartEvent.Name, "{}" },
        { MessageStartEvent.Name, """{"role":null}""" },
        { MessageStopEvent.Name, "{}" },
        { MetadataEvent.Name, """{"metrics":{"latencyMs":1}}""" },
        { MetadataEvent.Name, """{"usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}}""" },
    };

    [Theory]
    [MemberData(nameof(MissingOrNullRequiredMembers))]
    public void A_required_member_that_is_missing_or_null_is_a_typed_error_not_a_null(string eventType, string json)
    {
        var error = Assert.Throws<MalformedResponseException>(() => Decode(eventType, Encoding.UTF8.GetBytes(json)));

        Assert.Equal(eventType, error.EventType);
        Assert.IsType<JsonException>(error.InnerException);
    }

    [Fact]
    public void A_converse_body_that_is_not_utf8_is_a_typed_error_without_an_event_type()
    {
        var body = Bytes("""{"output":{"message":{"role":"assistant","content":[{"text":"hi"}]}}}""", [0xC0, 0x80], 55);

        var error = Assert.Throws<MalformedResponseException>(() => PayloadDecoder.Decode(body, BedrockJsonContext.Default.ConverseResponse, eventType: null, frameOffset: null));

        Assert.Null(error.EventType);
        Assert.Null(error.FrameOffset);
        Assert.Equal(55, error.PayloadOffset);
        Assert.Contains("Converse response body", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_payloads_still_decode_with_unknown_members_and_padding()
    {
        var delta = PayloadDecoder.DecodeDelta(Encoding.UTF8.GetBytes("""{"contentBlockIndex":2,"delta":{"text":"h\u00e9\uD83D\uDE00"},"p":"abc"}"""), 0);
        var start = (ContentBlockStartEvent)Decode(ContentBlockStartEvent.Name, Encoding.UTF8.GetBytes("""{"contentBlockIndex":1,"start":{"toolUse":{"toolUseId":"t1","name":"echo"}},"future":1,"p":"x"}"""));
        var stop = (MessageStopEvent)Decode(MessageStopEvent.Name, Encoding.UTF8.GetBytes("""{"stopReason":"some_future_reason","p":"x"}"""));
        var unknownDelta = PayloadDecoder.DecodeDelta(Encoding.UTF8.GetBytes("""{"contentBlockIndex":0,"delta":{"somethingNew":{"a":1}}}"""), 0);

        Assert.Equal("h\u00e9\uD83D\uDE00", delta.Delta.Text);
        Assert.Equal(2, delta.ContentBlockIndex);
        Assert.Equal("echo", start.Start.ToolUse!.Name);
        Assert.Equal("some_future_reason", stop.StopReason.Value);
        Assert.NotNull(unknownDelta.Delta.UnknownMembers);
    }

    /// <summary>
    /// Property: for thousands of seeded random mutations of valid payloads of every event type, decoding either succeeds
    /// with every required member present, or throws <see cref="MalformedResponseException"/> naming the event type.
    /// </summary>
    [Fact]
    public void Mutated_payloads_of_every_event_type_decode_or_fail_typed()
    {
        const int seed = 0x11AB;
        const int cases = 20_000;
        var random = new Random(seed);
        (string Type, string Json)[] samples =
        [
            (ContentBlockDeltaEvent.Name, """{"contentBlockIndex":0,"delta":{"text":"Hello \u00e9 world"},"p":"abcdef"}"""),
            (ContentBlockDeltaEvent.Name, """{"contentBlockIndex":1,"delta":{"toolUse":{"input":"{\"city\": \"Par"}},"p":"ab"}"""),
            (ContentBlockDeltaEvent.Name, """{"contentBlockIndex":0,"delta":{"reasoningContent":{"redactedContent":"AAECAw=="}}}"""),
            (ContentBlockDeltaEvent.Name, """{"contentBlockIndex":0,"delta":{"citation":{"title":"t","sourceContent":[{"text":"s"}],"location":{"web":{"url":"https://e.com"}}}}}"""),
            (ContentBlockStartEvent.Name, """{"contentBlockIndex":1,"start":{"toolUse":{"toolUseId":"tooluse_1","name":"echo"}},"p":"abc"}"""),
            (ContentBlockStopEvent.Name, """{"contentBlockIndex":1,"p":"abc"}"""),
            (MessageStartEvent.Name, """{"role":"assistant","p":"abc"}"""),
            (MessageStopEvent.Name, """{"stopReason":"end_turn","additionalModelResponseFields":{"a":[1,"b",null]}}"""),
            (MetadataEvent.Name, """{"usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3},"metrics":{"latencyMs":5},"trace":{"guardrail":{"outputAssessments":{"g":[{"contentPolicy":{"filters":[{"type":"HATE","confidence":"HIGH","action":"BLOCKED"}]}}]}}}}"""),
        ];
        byte[][] insertions = [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], "\\uDC00"u8.ToArray(), "\\uD800"u8.ToArray(), "null"u8.ToArray(), "\""u8.ToArray(), "{"u8.ToArray(), "]"u8.ToArray(), "1e400"u8.ToArray(), "-1"u8.ToArray(), [0x00]];

        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < cases; i++)
        {
            var (type, json) = samples[random.Next(samples.Length)];
            var payload = Encoding.UTF8.GetBytes(json);
            var mutations = 1 + random.Next(3);
            for (var m = 0; m < mutations; m++)
            {
                payload = random.Next(4) switch
                {
                    0 => [.. payload.AsSpan(0, random.Next(payload.Length + 1))],
                    1 when payload.Length > 0 => FlipBit(payload, random),
                    2 when payload.Length > 1 => Delete(payload, random),
                    _ => Insert(payload, random.Next(payload.Length + 1), insertions[random.Next(insertions.Length)]),
                };
            }

            string outcome;
            try
            {
                var decoded = Decode(type, payload);
                AssertComplete(decoded);
                outcome = "decoded";
            }
            catch (MalformedResponseException ex)
            {
                Assert.Equal(type, ex.EventType);
                Assert.Equal(FrameOffset, ex.FrameOffset);
                outcome = ex.InnerException?.GetType().Name ?? "utf8";
            }
            catch (Exception ex)
            {
                Assert.Fail($"Seed {seed}, case {i} ({type}, payload {Convert.ToBase64String(payload)}) threw {ex}");
                throw;
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        output.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}")));
        Assert.True(outcomes.GetValueOrDefault("decoded") > 100, "some mutations leave a decodable payload");
        Assert.True(outcomes.GetValueOrDefault("utf8") > 100, "invalid UTF-8 is exercised");
        Assert.True(outcomes.GetValueOrDefault(nameof(JsonException)) > 100, "JSON errors are exercised");
    }

    internal static StreamEvent Decode(string eventType, byte[] payload) => eventType switch
    {
        ContentBlockDeltaEvent.Name => PayloadDecoder.DecodeDelta(payload, FrameOffset),
        ContentBlockStartEvent.Name => PayloadDecoder.Decode(payload, BedrockJsonContext.Default.ContentBlockStartEvent, eventType, FrameOffset),
        ContentBlockStopEvent.Name => PayloadDecoder.Decode(payload, BedrockJsonContext.Default.ContentBlockStopEvent, eventType, FrameOffset),
        MessageStartEvent.Name => PayloadDecoder.Decode(payload, BedrockJsonContext.Default.MessageStartEvent, eventType, FrameOffset),
        MessageStopEvent.Name => PayloadDecoder.Decode(payload, BedrockJsonContext.Default.MessageStopEvent, eventType, FrameOffset),
        MetadataEvent.Name => PayloadDecoder.Decode(payload, BedrockJsonContext.Default.MetadataEvent, eventType, FrameOffset),
        _ => throw new ArgumentOutOfRangeException(nameof(eventType)),
    };

    /// <summary>A decoded event has every member the agent dereferences, and re-serialises (strings are valid Unicode).</summary>
    private static void AssertComplete(StreamEvent decoded)
    {
        switch (decoded)
        {
            case ContentBlockDeltaEvent d:
                Assert.NotNull(d.Delta);
                if (d.Delta.ToolUse is { } toolUse)
                {
                    Assert.NotNull(toolUse.Input);
                }

                JsonSerializer.Serialize(d, BedrockJsonContext.Default.ContentBlockDeltaEvent);
                break;
            case ContentBlockStartEvent s:
                Assert.NotNull(s.Start);
                if (s.Start.ToolUse is { } start)
                {
                    Assert.NotNull(start.Name);
                    Assert.NotNull(start.ToolUseId);
                }

                JsonSerializer.Serialize(s, BedrockJsonContext.Default.ContentBlockStartEvent);
                break;
            case MessageStartEvent m:
                Assert.NotNull(m.Role.Value);
                break;
            case MessageStopEvent m:
                Assert.NotNull(m.StopReason.Value);
                JsonSerializer.Serialize(m, BedrockJsonContext.Default.MessageStopEvent);
                break;
            case MetadataEvent m:
                Assert.NotNull(m.Usage);
                Assert.NotNull(m.Metrics);
                JsonSerializer.Serialize(m, BedrockJsonContext.Default.MetadataEvent);
                break;
        }
    }

    private static byte[] FlipBit(byte[] bytes, Random random)
    {
        var copy = bytes.ToArray();
        copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }

    private static byte[] Delete(byte[] bytes, Random random)
    {
        var start = random.Next(bytes.Length - 1);
        var length = random.Next(1, Math.Min(8, bytes.Length - start) + 1);
        return [.. bytes.AsSpan(0, start), .. bytes.AsSpan(start + length)];
    }

    private static byte[] Insert(byte[] bytes, int at, byte[] insertion) => [.. bytes.AsSpan(0, at), .. insertion, .. bytes.AsSpan(at)];
}
