using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using Strands.Bedrock;
using Strands.Bedrock.Json;
using Strands.Content;
using Strands.Tests.TestUtilities;

namespace Strands.Tests.Bedrock;

/// <summary>The client over an in-process transport: request shape, stream decoding, errors, retries, timeouts.</summary>
public class BedrockRuntimeClientTests
{
    private const string ArnModelId = "arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0";

    private static BedrockRuntimeClient Client(ScriptedHttpHandler handler, TimeProvider? time = null, int maxAttempts = 3, TimeSpan? readTimeout = null) =>
        new(new BedrockClientOptions
        {
            Region = "us-west-2",
            EndpointUrl = new Uri("http://127.0.0.1:1"),
            Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            HttpHandler = handler,
            MaxAttempts = maxAttempts,
            TimeProvider = time ?? TimeProvider.System,
            ReadTimeout = readTimeout ?? BedrockClientOptions.DefaultReadTimeout,
        });

    private static ConverseStreamRequest StreamRequest() => new() { ModelId = ArnModelId, Messages = [Message.User("hi")] };

    private static async Task<List<StreamEvent>> Drain(IAsyncEnumerable<StreamEvent> events, List<StreamEvent>? into = null)
    {
        into ??= [];
        await foreach (var e in events)
        {
            into.Add(e);
        }

        return into;
    }

    /// <summary>Writes events the way the JS SDK's output is shaped: <c>{"messageStart": {...}}</c>.</summary>
    private static JsonArray AsSdkEvents(IEnumerable<StreamEvent> events)
    {
        var array = new JsonArray();
        foreach (var e in events)
        {
            JsonNode payload = e switch
            {
                MessageStartEvent m => JsonSerializer.SerializeToNode(m, BedrockJsonContext.Default.MessageStartEvent)!,
                ContentBlockStartEvent m => JsonSerializer.SerializeToNode(m, BedrockJsonContext.Default.ContentBlockStartEvent)!,
                ContentBlockDeltaEvent m => JsonSerializer.SerializeToNode(m, BedrockJsonContext.Default.ContentBlockDeltaEvent)!,
                ContentBlockStopEvent m => JsonSerializer.SerializeToNode(m, BedrockJsonContext.Default.ContentBlockStopEvent)!,
                MessageStopEvent m => JsonSerializer.SerializeToNode(m, BedrockJsonContext.Default.MessageStopEvent)!,
                MetadataEvent m => JsonSerializer.SerializeToNode(m, BedrockJsonContext.Default.MetadataEvent)!,
                _ => throw new InvalidOperationException(e.EventType),
            };
            array.Add(new JsonObject { [e.EventType] = payload });
        }

        return array;
    }

    [Fact]
    public async Task Converse_sends_the_recorded_path_headers_and_body_and_parses_the_response()
    {
        var fixture = WireFixtures.Json("converse-response.json");
        var handler = new ScriptedHttpHandler().Enqueue(HttpStatusCode.OK, fixture["served"]!["body"]!.ToJsonString(), ("x-amzn-RequestId", "11111111-2222-3333-4444-555555555555"));
        using var client = Client(handler);

        var response = await client.ConverseAsync(new ConverseRequest { ModelId = ArnModelId, Messages = [Message.User("hi")] });

        Assert.Equal(StopReason.ToolUse, response.StopReason);
        Assert.Equal("11111111-2222-3333-4444-555555555555", response.RequestId);
        var (request, body) = Assert.Single(handler.Requests);
        var recordedPath = WireFixtures.Json("converse-request.json")["wire"]!["rawPath"]!.GetValue<string>();
        Assert.Equal(recordedPath, request.RequestUri!.AbsolutePath);
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.ToString());
        Assert.Contains("strands-agents", request.Headers.UserAgent.ToString(), StringComparison.Ordinal);
        Assert.Equal("attempt=1; max=3", request.Headers.GetValues("amz-sdk-request").Single());
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", request.Headers.GetValues("Authorization").Single(), StringComparison.Ordinal);
        JsonAssert.Equal(JsonNode.Parse("""{"messages":[{"role":"user","content":[{"text":"hi"}]}]}"""), JsonNode.Parse(body));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(37)]
    [InlineData(1 << 20)]
    public async Task Converse_stream_fixture_decodes_to_exactly_the_sdk_events_at_any_chunking(int chunk)
    {
        var handler = new ScriptedHttpHandler().EnqueueStream(new ChunkedStream(WireFixtures.Bytes("converse-stream.bin"), chunk));
        using var client = Client(handler);

        var events = await Drain(client.ConverseStreamAsync(StreamRequest()));

        JsonAssert.Equal(WireFixtures.Json("converse-stream-sdk-events.json")["events"], AsSdkEvents(events));
        Assert.EndsWith("/converse-stream", handler.Requests[0].Request.RequestUri!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exception_frame_surfaces_the_typed_error_after_the_preceding_events()
    {
        var handler = new ScriptedHttpHandler().EnqueueStream(new ChunkedStream(WireFixtures.Bytes("converse-stream-exception.bin"), 5));
        using var client = Client(handler);
        var events = new List<StreamEvent>();

        var error = await Assert.ThrowsAsync<ModelStreamErrorException>(() => Drain(client.ConverseStreamAsync(StreamRequest()), events));

        Assert.Equal(3, events.Count);
        Assert.Equal(400, error.OriginalStatusCode);
        Assert.Equal("invalid tool use", error.OriginalMessage);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Error_frame_surfaces_a_service_error_with_its_code()
    {
        var handler = new ScriptedHttpHandler().EnqueueStream(new MemoryStream(WireFixtures.Bytes("converse-stream-errorframe.bin")));
        using var client = Client(handler);
        var events = new List<StreamEvent>();

        var error = await Assert.ThrowsAnyAsync<BedrockRuntimeException>(() => Drain(client.ConverseStreamAsync(StreamRequest()), events));

        Assert.Single(events);
        Assert.Equal("InternalFailure", error.ErrorCode);
        Assert.Contains("Something broke mid-stream", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_stream_is_a_typed_error_not_a_hang()
    {
        var bytes = WireFixtures.Bytes("converse-stream.bin");
        var handler = new ScriptedHttpHandler().EnqueueStream(new MemoryStream(bytes[..(bytes.Length - 10)]));
        using var client = Client(handler);

        var error = await Assert.ThrowsAsync<Strands.Bedrock.EventStream.EventStreamException>(() => Drain(client.ConverseStreamAsync(StreamRequest())));
        Assert.Equal(Strands.Bedrock.EventStream.EventStreamErrorKind.TruncatedFrame, error.Kind);
    }

    [Fact]
    public async Task Throttling_is_retried_with_backoff_then_succeeds_and_each_attempt_is_signed_afresh()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var throttle = """{"message":"Too many requests, please wait before trying again."}""";
        var handler = new ScriptedHttpHandler()
            .Enqueue(HttpStatusCode.TooManyRequests, throttle, ("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/"))
            .EnqueueStream(new MemoryStream(WireFixtures.Bytes("converse-stream.bin")));
        using var client = Client(handler, time);

        var drain = Drain(client.ConverseStreamAsync(StreamRequest()));
        while (!drain.IsCompleted)
        {
            // The back-off waits on the fake clock: move it on until the retry has gone out.
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }

        Assert.Equal(13, (await drain).Count);
        Assert.Equal(["attempt=1; max=3", "attempt=2; max=3"], handler.Requests.Select(r => r.Request.Headers.GetValues("amz-sdk-request").Single()));
        Assert.Equal(
            handler.Requests[0].Request.Headers.GetValues("amz-sdk-invocation-id").Single(),
            handler.Requests[1].Request.Headers.GetValues("amz-sdk-invocation-id").Single());
        Assert.All(handler.Requests, r => Assert.Single(r.Request.Headers.GetValues("Authorization")));
    }

    [Fact]
    public async Task Throttling_gives_up_after_max_attempts_with_the_typed_error()
    {
        var handler = new ScriptedHttpHandler();
        for (var i = 0; i < 2; i++)
        {
            handler.Enqueue(HttpStatusCode.TooManyRequests, """{"message":"slow"}""", ("x-amzn-ErrorType", "ThrottlingException"));
        }

        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var client = Client(handler, time, maxAttempts: 2);
        var call = client.ConverseAsync(new ConverseRequest { ModelId = "m", Messages = [Message.User("x")] });
        while (!call.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }

        var error = await Assert.ThrowsAsync<ThrottlingException>(() => call);
        Assert.Equal((HttpStatusCode)429, error.StatusCode);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task Validation_and_access_errors_are_not_retried_and_map_to_their_types()
    {
        var handler = new ScriptedHttpHandler()
            .Enqueue(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.bedrockruntime#ValidationException","Message":"messages: field required"}""")
            .Enqueue(HttpStatusCode.Forbidden, """{"message":"You don't have access to the model with the specified model ID."}""", ("x-amzn-ErrorType", "AccessDeniedException"));
        using var client = Client(handler);

        var validation = await Assert.ThrowsAsync<ValidationException>(() => client.ConverseAsync(new ConverseRequest { ModelId = "m" }));
        Assert.Equal("messages: field required", validation.Message);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Drain(client.ConverseStreamAsync(StreamRequest())));
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task Connection_failures_before_a_response_are_retried()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var handler = new ScriptedHttpHandler()
            .EnqueueFailure(new HttpRequestException("connection refused", new IOException("refused"), null))
            .Enqueue(HttpStatusCode.OK, WireFixtures.Json("converse-response.json")["served"]!["body"]!.ToJsonString());
        using var client = Client(handler, time);

        var call = client.ConverseAsync(new ConverseRequest { ModelId = "m", Messages = [Message.User("x")] });
        while (!call.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }

        Assert.Equal(StopReason.ToolUse, (await call).StopReason);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task A_stalled_stream_times_out_with_a_clear_error()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var bytes = WireFixtures.Bytes("converse-stream.bin");
        var handler = new ScriptedHttpHandler().EnqueueStream(new ChunkedStream(bytes, 64, stallAt: 512));
        using var client = Client(handler, time, readTimeout: TimeSpan.FromSeconds(30));
        var events = new List<StreamEvent>();

        var drain = Drain(client.ConverseStreamAsync(StreamRequest()), events);
        while (!drain.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(5);
        }

        var error = await Assert.ThrowsAsync<ReadTimeoutException>(() => drain);
        Assert.Contains("ReadTimeout", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(30), error.Timeout);
        Assert.NotEmpty(events);
    }

    [Fact]
    public async Task Cancelling_mid_stream_stops_the_read()
    {
        var handler = new ScriptedHttpHandler().EnqueueStream(new ChunkedStream(WireFixtures.Bytes("converse-stream.bin"), 64, stallAt: 512));
        using var client = Client(handler);
        using var cts = new CancellationTokenSource();
        var events = new List<StreamEvent>();

        var drain = Drain(client.ConverseStreamAsync(StreamRequest(), cts.Token), events);
        while (events.Count == 0)
        {
            await Task.Delay(5);
        }

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => drain);
    }

    [Fact]
    public async Task A_success_body_that_is_not_a_response_is_a_typed_error_without_its_content()
    {
        var handler = new ScriptedHttpHandler().Enqueue(HttpStatusCode.OK, """{"output": "secret prompt text"}""");
        using var client = Client(handler);

        var error = await Assert.ThrowsAsync<MalformedResponseException>(() => client.ConverseAsync(new ConverseRequest { ModelId = "m" }));
        Assert.Equal("InvalidResponse", error.ErrorCode);
        Assert.Null(error.EventType);
        Assert.DoesNotContain("secret prompt text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_without_a_model_id_is_rejected_before_sending()
    {
        var handler = new ScriptedHttpHandler();
        using var client = Client(handler);
        await Assert.ThrowsAsync<ArgumentException>(() => client.ConverseAsync(new ConverseRequest()));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Unknown_event_types_are_skipped()
    {
        var frames = new MemoryStream();
        frames.Write(Strands.Bedrock.Testing.Internal.EventStreamWriter.EncodeEvent("messageStart", """{"role":"assistant"}"""u8));
        frames.Write(Strands.Bedrock.Testing.Internal.EventStreamWriter.EncodeEvent("someFutureEvent", """{"x":1}"""u8));
        frames.Write(Strands.Bedrock.Testing.Internal.EventStreamWriter.EncodeEvent("messageStop", """{"stopReason":"end_turn"}"""u8));
        frames.Position = 0;
        using var client = Client(new ScriptedHttpHandler().EnqueueStream(frames));

        var events = await Drain(client.ConverseStreamAsync(StreamRequest()));

        Assert.Collection(events, e => Assert.IsType<MessageStartEvent>(e), e => Assert.IsType<MessageStopEvent>(e));
    }

    [Fact]
    public async Task Concurrent_calls_share_one_client()
    {
        var body = Encoding.UTF8.GetBytes(WireFixtures.Json("converse-response.json")["served"]!["body"]!.ToJsonString());
        var handler = new ConcurrentJsonHandler(body);
        using var client = new BedrockRuntimeClient(new BedrockClientOptions
        {
            Region = "us-west-2",
            EndpointUrl = new Uri("http://127.0.0.1:1"),
            Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
            HttpHandler = handler,
        });

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => client.ConverseAsync(new ConverseRequest { ModelId = $"m{i}", Messages = [Message.User("x")] })));

        Assert.All(results, r => Assert.Equal(StopReason.ToolUse, r.StopReason));
        Assert.Equal(64, handler.Count);
    }

    private sealed class ConcurrentJsonHandler(byte[] body) : HttpMessageHandler
    {
        private int _count;

        public int Count => _count;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            await Task.Yield();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
        }
    }
}
