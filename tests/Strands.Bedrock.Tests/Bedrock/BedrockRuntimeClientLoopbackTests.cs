using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using Strands.Bedrock;
using Strands.Bedrock.Json;
using Strands.Bedrock.Testing;
using Strands.Content;
using Strands.Tests.TestUtilities;
using Xunit;

namespace Strands.Tests.Bedrock;

/// <summary>
/// The client against <see cref="FakeBedrockServer"/> over loopback HTTP: real sockets, real SigV4 (checked by the
/// fake, and again here by the independent <see cref="SigV4Verifier"/>), real JSON and event-stream frames.
/// </summary>
public sealed class BedrockRuntimeClientLoopbackTests
{
    private const string SecretKey = FakeBedrockServerOptions.DefaultSecretAccessKey;

    private static ConverseRequest Converse(string modelId = "us.amazon.nova-pro-v1:0") =>
        new() { ModelId = modelId, Messages = [Message.User("Hello")] };

    private static ConverseStreamRequest Stream(string modelId = "us.amazon.nova-pro-v1:0") =>
        new() { ModelId = modelId, Messages = [Message.User("Hello")] };

    private static SigV4Result VerifyIndependently(RecordedRequest request) =>
        SigV4Verifier.Verify(new SigV4Request(request.Method, request.RawPath, request.RawQuery, request.Headers, request.Body),
            accessKey => accessKey == FakeBedrockServerOptions.DefaultAccessKeyId ? SecretKey : null);

    /// <summary>Runs <paramref name="call"/> while advancing the fake clock, so retry back-off passes at once.</summary>
    private static async Task<T> AdvanceUntilDoneAsync<T>(FakeTimeProvider clock, Task<T> call)
    {
        while (!call.IsCompleted)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(call, Task.Delay(5));
        }

        return await call;
    }

    private static async Task<(List<StreamEvent> Events, Exception? Error)> CollectAsync(IAsyncEnumerable<StreamEvent> stream, CancellationToken cancellationToken = default)
    {
        var events = new List<StreamEvent>();
        try
        {
            await foreach (var e in stream.WithCancellation(cancellationToken))
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

    /// <summary>An event as the SDK fixture shows it: <c>{"eventName": payload}</c>.</summary>
    private static JsonNode ToWireJson(StreamEvent e)
    {
        var payload = SerializeEvent(e)!.AsObject();

        // The event records serialise their EventType override too; it is not a wire member.
        payload.Remove("eventType");
        return new JsonObject { [e.EventType] = payload };
    }

    private static JsonNode? SerializeEvent(StreamEvent e) => e switch
        {
            MessageStartEvent m => JsonSerializer.SerializeToNode(m, BedrockJsonContext.Default.MessageStartEvent),
            ContentBlockStartEvent s => JsonSerializer.SerializeToNode(s, BedrockJsonContext.Default.ContentBlockStartEvent),
            ContentBlockDeltaEvent d => JsonSerializer.SerializeToNode(d, BedrockJsonContext.Default.ContentBlockDeltaEvent),
            ContentBlockStopEvent s => JsonSerializer.SerializeToNode(s, BedrockJsonContext.Default.ContentBlockStopEvent),
            MessageStopEvent s => JsonSerializer.SerializeToNode(s, BedrockJsonContext.Default.MessageStopEvent),
            MetadataEvent m => JsonSerializer.SerializeToNode(m, BedrockJsonContext.Default.MetadataEvent),
            _ => throw new ArgumentException(e.EventType),
        };

    [Fact]
    public async Task SigV4_is_accepted_and_every_attempt_is_independently_verified()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await FakeBedrockServer.StartAsync();
        server.Enqueue(FakeResponse.Error("ThrottlingException", 429, "Too many requests, please wait before trying again."), FakeResponse.Text("Hi there"));
        using var client = new BedrockRuntimeClient(server.CreateClientOptions(maxAttempts: 3) with { TimeProvider = clock });

        var response = await AdvanceUntilDoneAsync(clock, client.ConverseAsync(Converse()));

        Assert.Equal("Hi there", response.Output.Message!.Content[0].Text);
        Assert.Equal(2, server.Requests.Count);
        foreach (var request in server.Requests)
        {
            Assert.True(request.IsAuthenticated);
            var verdict = VerifyIndependently(request);
            Assert.True(verdict.IsValid, verdict.FailureReason + "\n" + verdict.CanonicalRequest);
            Assert.Equal("us-west-2", verdict.Region);
            Assert.Equal("bedrock", verdict.Service);
            Assert.Equal(["content-length", "content-type", "host", "x-amz-content-sha256", "x-amz-date"], verdict.SignedHeaders!.Where(h => h != "accept"));
            Assert.NotNull(request.Header("x-amz-date"));
        }

        // Each attempt is a new request, signed afresh, of the same invocation.
        Assert.Equal(server.Requests[0].Header("amz-sdk-invocation-id"), server.Requests[1].Header("amz-sdk-invocation-id"));
    }

    [Fact]
    public async Task A_wrong_secret_is_rejected_with_InvalidSignatureException()
    {
        await using var server = await FakeBedrockServer.StartAsync();
        server.Enqueue(FakeResponse.Text("never"));
        using var client = new BedrockRuntimeClient(server.CreateClientOptions() with { Credentials = new BasicAWSCredentials(FakeBedrockServerOptions.DefaultAccessKeyId, "not-the-secret") });

        var error = await Assert.ThrowsAsync<BedrockRuntimeException>(() => client.ConverseAsync(Converse()));

        Assert.Equal("InvalidSignatureException", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.NotNull(error.RequestId);
        var request = Assert.Single(server.Requests); // a 403 is not retried
        Assert.False(VerifyIndependently(request).IsValid);
        Assert.Equal(1, server.PendingResponses);
    }

    [Fact]
    public async Task The_bearer_token_is_sent_as_Authorization_Bearer_without_SigV4_headers()
    {
        await using var server = await FakeBedrockServer.StartAsync(new FakeBedrockServerOptions { BearerToken = "ABSKexample-api-key" });
        server.Enqueue(FakeResponse.Text("ok"), FakeResponse.Text("stream ok"));
        using var client = new BedrockRuntimeClient(server.CreateClientOptions() with { Credentials = null, BearerToken = "ABSKexample-api-key" });

        await client.ConverseAsync(Converse());
        var (events, error) = await CollectAsync(client.ConverseStreamAsync(Stream()));

        Assert.Null(error);
        Assert.NotEmpty(events);
        Assert.All(server.Requests, request =>
        {
            Assert.Equal("Bearer ABSKexample-api-key", request.Header("authorization"));
            Assert.Null(request.Header("x-amz-date"));
            Assert.Null(request.Header("x-amz-content-sha256"));
            Assert.True(request.IsAuthenticated);
        });
    }

    [Fact]
    public async Task A_429_is_retried_with_the_attempt_headers_then_succeeds()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await FakeBedrockServer.StartAsync();
        server.Enqueue(FakeResponse.Error("ThrottlingException", 429, "slow down"), FakeResponse.Text("streamed after a retry"));
        using var client = new BedrockRuntimeClient(server.CreateClientOptions(maxAttempts: 3) with { TimeProvider = clock });

        var (events, error) = await AdvanceUntilDoneAsync(clock, CollectAsync(client.ConverseStreamAsync(Stream())));

        Assert.Null(error);
        Assert.Equal("streamed after a retry", string.Concat(events.OfType<ContentBlockDeltaEvent>().Select(d => d.Delta.Text)));
        Assert.Equal(["attempt=1; max=3", "attempt=2; max=3"], server.Requests.Select(r => r.Header("amz-sdk-request")));
        Assert.Equal([429, 200], server.Requests.Select(r => r.StatusCode ?? 0));
    }

    [Fact]
    public async Task Throttling_that_never_ends_surfaces_after_max_attempts()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await FakeBedrockServer.StartAsync();
        server.RespondWith(_ => FakeResponse.Error("ThrottlingException", 429, "Too many requests, please wait before trying again."));
        using var client = new BedrockRuntimeClient(server.CreateClientOptions(maxAttempts: 3) with { TimeProvider = clock });

        var error = await Record.ExceptionAsync(() => AdvanceUntilDoneAsync(clock, client.ConverseAsync(Converse())));

        Assert.IsType<ThrottlingException>(error);
        Assert.Equal(["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"], server.Requests.Select(r => r.Header("amz-sdk-request")));
    }

    [Theory]
    [InlineData("ValidationException", 400, typeof(ValidationException))]
    [InlineData("AccessDeniedException", 403, typeof(AccessDeniedException))]
    public async Task Client_errors_map_to_their_types_and_are_not_retried(string errorType, int status, Type expected)
    {
        await using var server = await FakeBedrockServer.StartAsync();
        server.Enqueue(FakeResponse.Error(errorType, status, "scripted message"), FakeResponse.Error(errorType, status, "scripted message"));
        using var client = server.CreateClient();

        var converse = await Assert.ThrowsAnyAsync<BedrockRuntimeException>(() => client.ConverseAsync(Converse()));
        var (_, stream) = await CollectAsync(client.ConverseStreamAsync(Stream()));

        foreach (var error in new[] { converse, Assert.IsAssignableFrom<BedrockRuntimeException>(stream) })
        {
            Assert.IsType(expected, error);
            Assert.Equal(errorType, error.ErrorCode);
            Assert.Equal((HttpStatusCode)status, error.StatusCode);
            Assert.Equal("scripted message", error.Message);
        }

        Assert.Equal(2, server.Requests.Count);
    }

    public static TheoryData<string> HostileModelIds =>
    [
        "../../x",
        "a/b",
        "a?b#c",
        "%2e%2e",
        "..",
        ".",
        "a b+c&d=e;f",
        "ünï😀",
        "arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0",
    ];

    [Theory]
    [MemberData(nameof(HostileModelIds))]
    public async Task Hostile_model_ids_arrive_as_exactly_one_path_segment(string modelId)
    {
        await using var server = await FakeBedrockServer.StartAsync();
        server.Enqueue(FakeResponse.Text("ok"), FakeResponse.Text("ok"));
        using var client = server.CreateClient();

        await client.ConverseAsync(Converse(modelId));
        var (_, error) = await CollectAsync(client.ConverseStreamAsync(Stream(modelId)));

        Assert.Null(error);
        foreach (var (request, operation) in server.Requests.Zip(["converse", "converse-stream"]))
        {
            var segments = request.RawPath.Split('/');
            Assert.Equal(4, segments.Length);
            Assert.Equal(["", "model"], segments[..2]);
            Assert.Equal(operation, segments[3]);
            Assert.Equal(modelId, Uri.UnescapeDataString(segments[2]));
            Assert.Equal(modelId, request.ModelId);
            Assert.Null(request.RawQuery);
            Assert.True(request.IsAuthenticated, request.Signature?.FailureReason);
        }

        Assert.Equal(modelId, server.Requests[0].ConverseRequest!.ModelId);
        Assert.Equal(modelId, server.Requests[1].ConverseStreamRequest!.ModelId);
    }

    [Fact]
    public async Task The_golden_stream_served_raw_in_37_byte_chunks_decodes_to_the_SDKs_13_events()
    {
        await using var server = await FakeBedrockServer.StartAsync();
        server.Enqueue(FakeResponse.RawStream(WireFixtures.Bytes("converse-stream.bin"), chunkSize: 37));
        using var client = server.CreateClient();

        var (events, error) = await CollectAsync(client.ConverseStreamAsync(Stream()));

        Assert.Null(error);
        var expected = WireFixtures.Json("converse-stream-sdk-events.json")["events"]!.AsArray();
        Assert.Equal(13, expected.Count);
        Assert.Equal(13, events.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            JsonAssert.Equal(expected[i], ToWireJson(events[i]));
        }
    }

    [Fact]
    public async Task A_mid_stream_exception_frame_surfaces_after_the_preceding_events()
    {
        await using var server = await FakeBedrockServer.StartAsync();
        server.Enqueue(FakeResponse.RawStream(WireFixtures.Bytes("converse-stream-exception.bin"), chunkSize: 37));
        server.Enqueue(FakeResponse.Reasoning("Need weather. ").WithStreamExceptionAfter(3, "modelStreamErrorException", "Model produced invalid sequence as part of ToolUse.", 400, "invalid tool use"));
        using var client = server.CreateClient();
        var expected = WireFixtures.Json("converse-stream-exception-sdk.json");

        foreach (var _ in new[] { "golden bytes", "scripted" })
        {
            var (events, error) = await CollectAsync(client.ConverseStreamAsync(Stream()));

            Assert.Equal(["messageStart", "contentBlockDelta", "contentBlockDelta"], events.Select(e => e.EventType));
            var streamError = Assert.IsType<ModelStreamErrorException>(error);
            Assert.Equal(expected["error"]!["message"]!.GetValue<string>(), streamError.Message);
            Assert.Equal(400, streamError.OriginalStatusCode);
            Assert.Equal("invalid tool use", streamError.OriginalMessage);
        }

        Assert.Equal(2, server.Requests.Count); // not retried
    }

    [Fact]
    public async Task A_dropped_connection_mid_stream_is_a_typed_IO_error()
    {
        await using var server = await FakeBedrockServer.StartAsync();
        server.Enqueue(FakeResponse.Text(new string('w', 4000)).DropConnectionAfterBytes(1000));
        using var client = server.CreateClient();

        var (events, error) = await CollectAsync(client.ConverseStreamAsync(Stream())).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.NotEmpty(events);
        Assert.True(error is IOException or HttpRequestException, $"Expected IOException or HttpRequestException, got {error}");
        Assert.Equal(FakeResponseOutcome.ConnectionDropped, await server.Requests[0].Completion);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Cancelling_mid_stream_stops_promptly_and_the_server_sees_the_connection_close()
    {
        var serverClock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await FakeBedrockServer.StartAsync(new FakeBedrockServerOptions { TimeProvider = serverClock });
        server.Enqueue(FakeResponse.Text(new string('c', 500)).WithTextDeltaLength(1).WithEventDelay(TimeSpan.FromHours(1)));
        using var client = server.CreateClient();
        using var cts = new CancellationTokenSource();

        await using var events = client.ConverseStreamAsync(Stream(), cts.Token).GetAsyncEnumerator(cts.Token);
        var first = events.MoveNextAsync().AsTask();
        while (!first.IsCompleted)
        {
            // Only once the request passed authentication: the signature is checked against the server's clock.
            if (server.Requests is [{ IsAuthenticated: true }, ..])
            {
                serverClock.Advance(TimeSpan.FromHours(1));
            }

            await Task.WhenAny(first, Task.Delay(5));
        }

        Assert.True(await first);
        Assert.IsType<MessageStartEvent>(events.Current);

        // The server's clock is never advanced again: after the few events already on their way (one per advance),
        // the client waits for an event that is an hour away; cancelling ends that wait.
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            while (await events.MoveNextAsync())
            {
            }
        });
        await events.DisposeAsync();
        Assert.Equal(FakeResponseOutcome.ClientDisconnected, await server.Requests[0].Completion.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
