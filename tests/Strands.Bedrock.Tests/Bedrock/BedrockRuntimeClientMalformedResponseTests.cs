using System.Net;
using System.Text;
using Amazon.Runtime;
using Strands.Bedrock;
using Strands.Bedrock.EventStream;
using Strands.Bedrock.Testing;
using Strands.Content;
using Strands.Tests.TestUtilities;
using Strands.Bedrock.Testing.Internal;

namespace Strands.Tests.Bedrock;

/// <summary>
/// A ConverseStream or Converse response whose framing is intact but whose payload cannot be decoded ends the call with
/// <see cref="MalformedResponseException"/> (event type and offsets), after the events that preceded it; the fuzz
/// program (tests/Strands.Bedrock.Fuzz) drives millions of such streams.
/// </summary>
public class BedrockRuntimeClientMalformedResponseTests
{
    private static readonly byte[] MessageStart = EventStreamWriter.EncodeEvent("messageStart", """{"role":"assistant"}"""u8);
    private static readonly byte[] GoodDelta = EventStreamWriter.EncodeEvent("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hel"}}"""u8);

    private static BedrockRuntimeClient Client(HttpMessageHandler handler) => new(new BedrockClientOptions
    {
        Region = "us-west-2",
        EndpointUrl = new Uri("http://127.0.0.1:1"),
        Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
        HttpHandler = handler,
    });

    private static ConverseStreamRequest Request() => new() { ModelId = "m", Messages = [Message.User("hi")] };

    private static byte[] Delta(string before, byte[] bad, string after) =>
        EventStreamWriter.EncodeEvent("contentBlockDelta", [.. Encoding.ASCII.GetBytes(before), .. bad, .. Encoding.ASCII.GetBytes(after)]);

    private static async Task<(List<StreamEvent> Events, Exception? Error)> DrainAsync(IAsyncEnumerable<StreamEvent> stream)
    {
        var events = new List<StreamEvent>();
        try
        {
            await foreach (var e in stream)
            {
                events.Add(e);
            }
        }
        catch (Exception ex)
        {
            return (events, ex);
        }

        return (events, null);
    }

    public static TheoryData<string, byte[]> BadStrings => new()
    {
        { "a Latin-1 byte", [0xFF] },
        { "an overlong encoding", [0xC0, 0xAF] },
        { "an encoded surrogate", [0xED, 0xB0, 0x80] },
        { "an escaped lone surrogate", "\\uDC00"u8.ToArray() },
        { "an escaped high surrogate without its pair", "\\uD83D!"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(BadStrings))]
    public async Task A_delta_with_invalid_text_ends_the_stream_with_a_typed_error_after_the_good_events(string what, byte[] bad)
    {
        var badFrame = Delta("""{"contentBlockIndex":0,"delta":{"text":"private-words""", bad, "\"}}");
        using var body = new MemoryStream([.. MessageStart, .. GoodDelta, .. badFrame]);
        using var client = Client(new ScriptedHttpHandler().EnqueueStream(body));

        var (events, error) = await DrainAsync(client.ConverseStreamAsync(Request()));

        var malformed = Assert.IsType<MalformedResponseException>(error);
        Assert.Equal(2, events.Count);
        Assert.Equal(ContentBlockDeltaEvent.Name, malformed.EventType);
        Assert.Equal(MessageStart.Length + GoodDelta.Length, malformed.FrameOffset);
        Assert.NotNull(malformed.PayloadOffset);
        Assert.Equal(1, malformed.Attempts);
        Assert.DoesNotContain("private-words", malformed.ToString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public async Task A_delta_without_its_delta_member_is_a_typed_error_not_a_null_event()
    {
        using var body = new MemoryStream([.. MessageStart, .. EventStreamWriter.EncodeEvent("contentBlockDelta", """{"contentBlockIndex":0}"""u8)]);
        using var client = Client(new ScriptedHttpHandler().EnqueueStream(body));

        var (events, error) = await DrainAsync(client.ConverseStreamAsync(Request()));

        Assert.Single(events);
        Assert.Equal(ContentBlockDeltaEvent.Name, Assert.IsType<MalformedResponseException>(error).EventType);
    }

    [Fact]
    public async Task A_converse_body_with_an_unpaired_surrogate_in_extra_fields_is_a_typed_error()
    {
        var body = """{"output":{"message":{"role":"assistant","content":[{"text":"hi"}]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2},"metrics":{"latencyMs":1},"additionalModelResponseFields":{"k":"\uDC00"}}""";
        using var client = Client(new ScriptedHttpHandler().Enqueue(HttpStatusCode.OK, body));

        var error = await Assert.ThrowsAsync<MalformedResponseException>(() => client.ConverseAsync(new ConverseRequest { ModelId = "m", Messages = [Message.User("hi")] }));

        Assert.Null(error.EventType);
        Assert.Equal(body.IndexOf("\"\\uDC00", StringComparison.Ordinal), error.PayloadOffset);
    }

    [Fact]
    public async Task Over_loopback_http_a_corrupt_payload_with_valid_crcs_is_a_typed_error()
    {
        await using var server = await FakeBedrockServer.StartAsync();
        server.Enqueue(FakeResponse.RawStream([.. MessageStart, .. GoodDelta, .. Delta("""{"contentBlockIndex":0,"delta":{"text":"x""", [0xFF], "\"}}")], chunkSize: 7));
        using var client = server.CreateClient();

        var (events, error) = await DrainAsync(client.ConverseStreamAsync(new ConverseStreamRequest { ModelId = "us.amazon.nova-pro-v1:0", Messages = [Message.User("Hello")] }));

        Assert.Equal(2, events.Count);
        var malformed = Assert.IsType<MalformedResponseException>(error);
        Assert.Equal(MessageStart.Length + GoodDelta.Length, malformed.FrameOffset);
    }
}
