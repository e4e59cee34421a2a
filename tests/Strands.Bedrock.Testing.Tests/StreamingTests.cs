using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Strands.Bedrock.Testing.Tests.Support;
using Strands.Content;

namespace Strands.Bedrock.Testing.Tests;

/// <summary>Bodies stream as they are written (server and handler), delays follow the fake clock, and drops and cancellations are exact.</summary>
public sealed class StreamingTests
{
    public static TheoryData<string> Transports => Fake.Transports;

    private static HttpClient RawClient(Fake fake) => fake.Bedrock switch
    {
        FakeBedrockHandler handler => new HttpClient(handler, disposeHandler: false) { BaseAddress = FakeBedrockHandler.DefaultEndpoint },
        FakeBedrockServer server => new HttpClient { BaseAddress = server.Endpoint },
        _ => throw new InvalidOperationException(),
    };

    /// <summary>
    /// Moves the fake clock, but only once the request passed authentication: its signature is checked against the
    /// fake clock, so moving it earlier would expire the signature.
    /// </summary>
    private static void AdvanceOnceReceived(Fake fake, FakeTimeProvider clock, TimeSpan step)
    {
        if (fake.Bedrock.Requests is [{ IsAuthenticated: true }, ..])
        {
            clock.Advance(step);
        }
    }

    [Theory]
    [InlineData("server", "converse-stream", 0)]
    [InlineData("server", "converse-stream", 700)]
    [InlineData("server", "converse", 25)]
    [InlineData("handler", "converse-stream", 0)]
    [InlineData("handler", "converse-stream", 700)]
    [InlineData("handler", "converse", 25)]
    public async Task A_drop_delivers_exactly_N_bytes_then_the_response_ends_prematurely(string transport, string operation, int bytes)
    {
        await using var fake = await Fake.StartAsync(transport, new FakeBedrockServerOptions { VerifyAuthentication = false });
        fake.Bedrock.Enqueue(FakeResponse.Text(new string('x', 3000)).DropConnectionAfterBytes(bytes));
        using var http = RawClient(fake);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"model/m/{operation}") { Content = new StringContent("""{"messages":[]}""", Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = 0;
        var buffer = new byte[256];
        var error = await Record.ExceptionAsync(async () =>
        {
            int n;
            while ((n = await body.ReadAsync(buffer)) > 0)
            {
                received += n;
            }
        });

        Assert.Equal(bytes, received);
        var io = Assert.IsType<HttpIOException>(error);
        Assert.Equal(HttpRequestError.ResponseEnded, io.HttpRequestError);
        Assert.Equal(FakeResponseOutcome.ConnectionDropped, await fake.Bedrock.Requests[0].Completion);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Events_arrive_while_the_fake_is_still_writing(string transport)
    {
        // On a fake clock the fake cannot finish until the test has advanced time once per event (200+ times here):
        // every event the client reads before that was streamed, not buffered.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var delay = TimeSpan.FromSeconds(1);
        await using var fake = await Fake.StartAsync(transport, new FakeBedrockServerOptions { TimeProvider = clock });
        fake.Bedrock.Enqueue(FakeResponse.Text(new string('s', 200)).WithTextDeltaLength(1).WithEventDelay(delay));
        using var client = fake.Client();

        var events = client.ConverseStreamAsync(Fake.Stream()).GetAsyncEnumerator();
        var seen = new List<StreamEvent>();
        for (var i = 0; i < 3; i++)
        {
            var next = events.MoveNextAsync().AsTask();
            while (!next.IsCompleted)
            {
                AdvanceOnceReceived(fake, clock, delay);
                await Task.WhenAny(next, Task.Delay(5));
            }

            Assert.True(await next);
            seen.Add(events.Current);
        }

        Assert.Equal(["messageStart", "contentBlockDelta", "contentBlockDelta"], seen.Select(e => e.EventType));
        Assert.All(seen.OfType<ContentBlockDeltaEvent>(), d => Assert.Equal("s", d.Delta.Text));
        Assert.False(fake.Bedrock.Requests[0].Completion.IsCompleted);

        // Leaving early is seen by the fake.
        await events.DisposeAsync();
        Assert.Equal(FakeResponseOutcome.ClientDisconnected, await fake.Bedrock.Requests[0].Completion.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Cancelling_mid_stream_stops_at_once_and_the_fake_sees_the_client_leave(string transport)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var fake = await Fake.StartAsync(transport, new FakeBedrockServerOptions { TimeProvider = clock });
        fake.Bedrock.Enqueue(FakeResponse.Text(new string('z', 1000)).WithTextDeltaLength(1).WithEventDelay(TimeSpan.FromMinutes(1)));
        using var client = fake.Client();
        using var cts = new CancellationTokenSource();

        var enumerator = client.ConverseStreamAsync(Fake.Stream(), cts.Token).GetAsyncEnumerator(cts.Token);
        var first = enumerator.MoveNextAsync().AsTask();
        while (!first.IsCompleted)
        {
            AdvanceOnceReceived(fake, clock, TimeSpan.FromMinutes(1));
            await Task.WhenAny(first, Task.Delay(5));
        }

        Assert.True(await first);

        // The fake clock is not advanced again, so after the few events already on their way the client waits;
        // cancelling ends that wait.
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            while (await enumerator.MoveNextAsync())
            {
            }
        });
        await enumerator.DisposeAsync();
        Assert.Equal(FakeResponseOutcome.ClientDisconnected, await fake.Bedrock.Requests[0].Completion.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Stopping_the_server_mid_stream_fails_the_stream_instead_of_ending_it()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var server = await FakeBedrockServer.StartAsync(new FakeBedrockServerOptions { TimeProvider = clock });
        server.Enqueue(FakeResponse.Text(new string('d', 100)).WithTextDeltaLength(1).WithEventDelay(TimeSpan.FromHours(1)));
        using var client = server.CreateClient(maxAttempts: 1);
        var events = client.ConverseStreamAsync(Fake.Stream()).GetAsyncEnumerator();
        var first = events.MoveNextAsync().AsTask();
        while (!first.IsCompleted)
        {
            if (server.Requests is [{ IsAuthenticated: true }, ..])
            {
                clock.Advance(TimeSpan.FromHours(1));
            }

            await Task.WhenAny(first, Task.Delay(5));
        }

        Assert.True(await first);
        await server.DisposeAsync();

        var error = await Record.ExceptionAsync(async () =>
        {
            while (await events.MoveNextAsync())
            {
            }
        });
        Assert.True(error is IOException or HttpRequestException, $"Expected an I/O error, got {error}");
        await events.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_converse_call_waits_the_event_delays_of_the_whole_turn(string transport)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var fake = await Fake.StartAsync(transport, new FakeBedrockServerOptions { TimeProvider = clock });
        fake.Bedrock.Enqueue(FakeResponse.Text("abc").WithEventDelay(TimeSpan.FromSeconds(1)));
        using var client = fake.Client();

        var call = client.ConverseAsync(Fake.Converse());
        while (!call.IsCompleted)
        {
            AdvanceOnceReceived(fake, clock, TimeSpan.FromSeconds(1));
            await Task.WhenAny(call, Task.Delay(5));
        }

        Assert.Equal("abc", (await call).Output.Message!.Content[0].Text);

        // messageStart, delta, stop, messageStop, metadata: five seconds of generation before the answer.
        Assert.True(clock.GetUtcNow() - fake.Bedrock.Requests[0].ReceivedAt >= TimeSpan.FromSeconds(5));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Raw_stream_bytes_are_served_as_given(string transport)
    {
        await using var fake = await Fake.StartAsync(transport);
        var frames = new MemoryStream();
        using (var renderer = new Internal.ResponseRenderer())
        {
            var sequence = 0;
            foreach (var e in Internal.ResponseRenderer.Events(FakeResponse.Text("raw bytes")))
            {
                frames.Write(renderer.EncodeEvent(e, sequence++).Span);
            }
        }

        fake.Bedrock.Enqueue(FakeResponse.RawStream(frames.ToArray(), chunkSize: 5));
        using var client = fake.Client();

        var events = await Fake.CollectAsync(client.ConverseStreamAsync(Fake.Stream()));

        Assert.Equal("raw bytes", Assert.IsType<ContentBlockDeltaEvent>(events[1]).Delta.Text);
        Assert.Equal(5, events.Count);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_raw_body_can_shape_errors_the_factories_do_not(string transport)
    {
        await using var fake = await Fake.StartAsync(transport);
        fake.Bedrock.Enqueue(FakeResponse.RawBody(400, """{"__type":"com.amazonaws.bedrockruntime#ValidationException","Message":"Input is too long for requested model."}"""));
        using var client = fake.Client();

        var error = await Assert.ThrowsAsync<ValidationException>(() => client.ConverseAsync(Fake.Converse()));

        Assert.Equal("Input is too long for requested model.", error.Message);
    }

    [Fact]
    public void Long_text_is_split_into_a_few_deltas_without_breaking_surrogate_pairs()
    {
        Assert.Equal(["abcd", "efgh", "ij"], Internal.ResponseRenderer.Split("abcdefghij", 4));
        Assert.Equal(["a", "😀", "b"], Internal.ResponseRenderer.Split("a😀b", 1));
        Assert.Equal([""], Internal.ResponseRenderer.Split("", 4));
        var events = Internal.ResponseRenderer.Events(FakeResponse.Text(new string('x', 40))).ToList();
        Assert.Equal(3, events.OfType<ContentBlockDeltaEvent>().Count());
    }
}
