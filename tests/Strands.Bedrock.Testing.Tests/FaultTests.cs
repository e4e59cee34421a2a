using System.Net;
using Strands.Bedrock.Testing.Tests.Support;
using Strands.Content;

namespace Strands.Bedrock.Testing.Tests;

/// <summary>Service errors, mid-stream faults and dropped connections, as the client surfaces them.</summary>
public sealed class FaultTests
{
    public static TheoryData<string> Transports => Fake.Transports;

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_scripted_service_error_is_the_typed_exception_for_both_operations(string transport)
    {
        await using var fake = await Fake.StartAsync(transport);
        var error = FakeResponse.Error("ThrottlingException", 429, "Too many requests, please wait before trying again.").WithRequestId("req-1");
        fake.Bedrock.Enqueue(error, error);
        using var client = fake.Client(maxAttempts: 1);

        var converse = await Assert.ThrowsAsync<ThrottlingException>(() => client.ConverseAsync(Fake.Converse()));
        var stream = await Assert.ThrowsAsync<ThrottlingException>(() => Fake.CollectAsync(client.ConverseStreamAsync(Fake.Stream())));

        foreach (var e in new[] { converse, stream })
        {
            Assert.Equal("Too many requests, please wait before trying again.", e.Message);
            Assert.Equal((HttpStatusCode)429, e.StatusCode);
            Assert.Equal("req-1", e.RequestId);
        }

        Assert.All(fake.Bedrock.Requests, r => Assert.Equal("ThrottlingException", r.ErrorType));
        Assert.All(fake.Bedrock.Requests, r => Assert.Equal(429, r.StatusCode));
    }

    [Theory]
    [InlineData("ValidationException", 400, typeof(ValidationException))]
    [InlineData("AccessDeniedException", 403, typeof(AccessDeniedException))]
    [InlineData("ResourceNotFoundException", 404, typeof(ResourceNotFoundException))]
    [InlineData("ModelTimeoutException", 408, typeof(ModelTimeoutException))]
    [InlineData("ModelErrorException", 424, typeof(ModelErrorException))]
    [InlineData("ModelNotReadyException", 429, typeof(ModelNotReadyException))]
    [InlineData("InternalServerException", 500, typeof(InternalServerException))]
    [InlineData("ServiceUnavailableException", 503, typeof(ServiceUnavailableException))]
    [InlineData("SomethingNewException", 418, typeof(BedrockRuntimeException))]
    public async Task Any_error_type_and_status_can_be_scripted(string errorType, int status, Type expected)
    {
        await using var fake = await Fake.StartAsync("handler");
        fake.Bedrock.Enqueue(FakeResponse.Error(errorType, status, "scripted"));
        using var client = fake.Client(maxAttempts: 1);

        var error = await Assert.ThrowsAnyAsync<BedrockRuntimeException>(() => client.ConverseAsync(Fake.Converse()));

        Assert.IsType(expected, error);
        Assert.Equal(errorType, error.ErrorCode);
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Contains("scripted", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_mid_stream_exception_comes_after_the_events_before_it(string transport)
    {
        await using var fake = await Fake.StartAsync(transport);
        var script = FakeResponse.ToolUse("get_weather", """{"city":"Seattle"}""")
            .WithStreamExceptionAfter(3, "modelStreamErrorException", "Model produced invalid sequence as part of ToolUse.", 400, "invalid tool use");
        fake.Bedrock.Enqueue(script, script);
        using var client = fake.Client();

        var (events, error) = await Fake.CollectUntilErrorAsync(client.ConverseStreamAsync(Fake.Stream()));

        Assert.Equal(["messageStart", "contentBlockStart", "contentBlockDelta"], events.Select(e => e.EventType));
        var streamError = Assert.IsType<ModelStreamErrorException>(error);
        Assert.Equal("Model produced invalid sequence as part of ToolUse.", streamError.Message);
        Assert.Equal(400, streamError.OriginalStatusCode);
        Assert.Equal("invalid tool use", streamError.OriginalMessage);
        Assert.Null(streamError.StatusCode);

        // Converse gets the same error as an HTTP 424.
        var converseError = await Assert.ThrowsAsync<ModelStreamErrorException>(() => client.ConverseAsync(Fake.Converse()));
        Assert.Equal((HttpStatusCode)424, converseError.StatusCode);
        Assert.Equal(2, fake.Bedrock.Requests.Count); // never retried
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_throttling_exception_frame_mid_stream_is_not_retried(string transport)
    {
        await using var fake = await Fake.StartAsync(transport);
        fake.Bedrock.Enqueue(FakeResponse.Text("partial answer").WithStreamExceptionAfter(2, "throttlingException", "slow down"));
        using var client = fake.Client(maxAttempts: 3);

        var (events, error) = await Fake.CollectUntilErrorAsync(client.ConverseStreamAsync(Fake.Stream()));

        Assert.Equal(2, events.Count);
        Assert.IsType<ThrottlingException>(error);
        Assert.Single(fake.Bedrock.Requests);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task An_error_frame_surfaces_its_code_and_message(string transport)
    {
        await using var fake = await Fake.StartAsync(transport);
        fake.Bedrock.Enqueue(FakeResponse.Text("hello").WithErrorFrameAfter(1, "InternalFailure", "Something broke mid-stream"));
        using var client = fake.Client();

        var (events, error) = await Fake.CollectUntilErrorAsync(client.ConverseStreamAsync(Fake.Stream()));

        Assert.IsType<MessageStartEvent>(Assert.Single(events));
        var failure = Assert.IsType<BedrockRuntimeException>(error);
        Assert.Equal("InternalFailure", failure.ErrorCode);
        Assert.Contains("Something broke mid-stream", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task An_error_frame_in_converse_is_an_HTTP_500_with_that_code(string transport)
    {
        await using var fake = await Fake.StartAsync(transport);
        fake.Bedrock.Enqueue(FakeResponse.Text("hello").WithErrorFrameAfter(1, "InternalFailure", "broke"));
        using var client = fake.Client(maxAttempts: 1);

        var failure = await Assert.ThrowsAnyAsync<BedrockRuntimeException>(() => client.ConverseAsync(Fake.Converse()));

        Assert.Equal("InternalFailure", failure.ErrorCode);
        Assert.Equal(HttpStatusCode.InternalServerError, failure.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_dropped_connection_mid_stream_is_an_IO_error_never_a_hang(string transport)
    {
        await using var fake = await Fake.StartAsync(transport);
        fake.Bedrock.Enqueue(FakeResponse.Text(new string('x', 2000)).DropConnectionAfterBytes(700));
        using var client = fake.Client();

        var (events, error) = await Fake.CollectUntilErrorAsync(client.ConverseStreamAsync(Fake.Stream()));

        Assert.NotEmpty(events);
        Assert.True(error is IOException or HttpRequestException, $"Expected an I/O error, got {error}");
        Assert.Equal(FakeResponseOutcome.ConnectionDropped, await fake.Bedrock.Requests[0].Completion);
        Assert.Single(fake.Bedrock.Requests); // mid-stream failures are not retried
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_dropped_connection_in_a_converse_body_is_an_IO_error(string transport)
    {
        await using var fake = await Fake.StartAsync(transport);
        fake.Bedrock.Enqueue(FakeResponse.Text("hello").DropConnectionAfterBytes(10));
        using var client = fake.Client(maxAttempts: 1);

        var error = await Record.ExceptionAsync(() => client.ConverseAsync(Fake.Converse()));

        Assert.True(error is IOException or HttpRequestException, $"Expected an I/O error, got {error}");
        Assert.Equal(FakeResponseOutcome.ConnectionDropped, await fake.Bedrock.Requests[0].Completion);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Chunks_cut_across_frames_still_decode(string transport)
    {
        await using var fake = await Fake.StartAsync(transport);
        var script = FakeResponse.Reasoning("step one, step two", "answer text here").WithChunkSize(7);
        fake.Bedrock.Enqueue(script);
        using var client = fake.Client();

        var events = await Fake.CollectAsync(client.ConverseStreamAsync(Fake.Stream()));

        Assert.Equal(new Turn(Message.Assistant(script.Content), StopReason.EndTurn, script.Usage, script.LatencyMs, null, null).ToJson(), Turn.From(events).ToJson());
    }
}
