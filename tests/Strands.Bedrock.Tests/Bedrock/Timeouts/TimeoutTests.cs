using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using Strands.Bedrock;
using Strands.Bedrock.EventStream;
using Strands.Content;
using Strands.Tests.TestUtilities;
using Strands.Bedrock.Testing.Internal;

namespace Strands.Tests.Bedrock.Timeouts;

/// <summary>
/// Connect and read timeouts, each reported as itself: connecting is bounded by ConnectTimeout alone (real sockets,
/// a listener whose accept queue is full), and ReadTimeout bounds each read, not each frame (fake clock).
/// </summary>
public class TimeoutTests
{
    private static readonly string ConverseBody =
        """{"output":{"message":{"role":"assistant","content":[{"text":"on time"}]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3},"metrics":{"latencyMs":4}}""";

    private static ConverseRequest Converse() => new() { ModelId = "m", Messages = [Message.User("hi")] };

    private static BedrockClientOptions Options(TimeProvider time, TimeSpan readTimeout) => new()
    {
        Region = "us-west-2",
        EndpointUrl = new Uri("http://127.0.0.1:1"),
        Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
        MaxAttempts = 1,
        TimeProvider = time,
        ReadTimeout = readTimeout,
    };

    /// <summary>A loopback listener whose accept queue is full: a new connection attempt hangs in SYN until a slot frees.</summary>
    private sealed class FullListener : IDisposable
    {
        private readonly Socket _filler = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        private FullListener()
        {
            Socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Socket.Listen(0);
        }

        public Socket Socket { get; } = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        public Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)Socket.LocalEndPoint!).Port}");

        public static async Task<FullListener> StartAsync()
        {
            var listener = new FullListener();
            await listener._filler.ConnectAsync(listener.Socket.LocalEndPoint!);
            return listener;
        }

        /// <summary>Frees the queue: accepts and closes the connection that filled it.</summary>
        public async Task FreeAsync() => (await Socket.AcceptAsync()).Dispose();

        public void Dispose()
        {
            _filler.Dispose();
            Socket.Dispose();
        }
    }

    [Fact]
    public async Task A_connect_timeout_is_a_ConnectTimeoutException_with_the_transport_error_inside()
    {
        using var listener = await FullListener.StartAsync();
        using var client = new BedrockRuntimeClient(Options(TimeProvider.System, TimeSpan.FromMinutes(5)) with
        {
            EndpointUrl = listener.Endpoint,
            ConnectTimeout = TimeSpan.FromMilliseconds(300),
        });

        var error = await Assert.ThrowsAsync<ConnectTimeoutException>(() => client.ConverseAsync(Converse()));

        Assert.Equal(TimeSpan.FromMilliseconds(300), error.Timeout);
        Assert.Contains("BedrockClientOptions.ConnectTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.IsType<TimeoutException>(Assert.IsAssignableFrom<OperationCanceledException>(error.InnerException).InnerException);
    }

    [Fact]
    public async Task A_connect_timeout_longer_than_the_read_timeout_is_not_cut_short_by_the_read_timer()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var listener = await FullListener.StartAsync();
        using var client = new BedrockRuntimeClient(Options(clock, TimeSpan.FromSeconds(2)) with
        {
            EndpointUrl = listener.Endpoint,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        });

        var call = client.ConverseAsync(Converse());

        // While the connection is being opened, far more than ReadTimeout passes on the client's clock.
        await Task.Delay(300);
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.False(call.IsCompleted, call.Exception?.ToString());

        // The connection opens (the kernel retries the SYN once the queue has room) and the server answers at once.
        await listener.FreeAsync();
        using var connection = await listener.Socket.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(20));
        await ServeOnceAsync(connection, ConverseBody);

        var response = await call.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("on time", response.Output.Message!.Content[0].Text);
    }

    [Fact]
    public async Task A_server_that_accepts_but_never_answers_is_a_ReadTimeoutException_for_the_headers()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        using var client = new BedrockRuntimeClient(Options(clock, TimeSpan.FromSeconds(30)) with { EndpointUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}") });

        var call = client.ConverseAsync(Converse());
        using var connection = await listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(20));

        // Once the request has arrived the client is waiting for the headers: that wait is the read.
        var buffer = new byte[1];
        await connection.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(20));
        clock.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(50);
        Assert.False(call.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<ReadTimeoutException>(() => call.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(TimeSpan.FromSeconds(30), error.Timeout);
        Assert.Contains("no response headers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_large_frame_trickled_slowly_is_not_cut_off_while_bytes_keep_arriving()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var text = new string('x', 600);
        var frame = EventStreamWriter.EncodeEvent("contentBlockDelta", Encoding.UTF8.GetBytes("{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + text + "\"}}"));

        // 8 bytes per read, 20 s apart: the frame takes about 27 minutes, each read well under the 30 s timeout.
        var handler = new ScriptedHttpHandler().EnqueueStream(new TrickleStream(frame, 8, clock, TimeSpan.FromSeconds(20)));
        using var client = new BedrockRuntimeClient(Options(clock, TimeSpan.FromSeconds(30)) with { HttpHandler = handler });

        var events = new List<StreamEvent>();
        await foreach (var e in client.ConverseStreamAsync(new ConverseStreamRequest { ModelId = "m", Messages = [Message.User("hi")] }))
        {
            events.Add(e);
        }

        Assert.Equal(text, Assert.IsType<ContentBlockDeltaEvent>(Assert.Single(events)).Delta.Text);
    }

    [Fact]
    public async Task A_converse_body_trickled_slowly_is_not_cut_off_while_bytes_keep_arriving()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var handler = new ScriptedHttpHandler().Enqueue((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new TrickleStream(Encoding.UTF8.GetBytes(ConverseBody), 16, clock, TimeSpan.FromSeconds(20))),
        }));
        using var client = new BedrockRuntimeClient(Options(clock, TimeSpan.FromSeconds(30)) with { HttpHandler = handler });

        var response = await client.ConverseAsync(Converse());

        Assert.Equal("on time", response.Output.Message!.Content[0].Text);
    }

    [Fact]
    public async Task A_server_silent_for_the_read_timeout_in_the_middle_of_a_frame_is_a_ReadTimeoutException()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var frame = EventStreamWriter.EncodeEvent("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"never finished"}}"""u8);
        var handler = new ScriptedHttpHandler().EnqueueStream(new ChunkedStream(frame, 8, stallAt: 40));
        using var client = new BedrockRuntimeClient(Options(clock, TimeSpan.FromSeconds(30)) with { HttpHandler = handler });

        var drain = Task.Run(async () =>
        {
            await foreach (var _ in client.ConverseStreamAsync(new ConverseStreamRequest { ModelId = "m", Messages = [Message.User("hi")] }))
            {
            }
        });
        while (!drain.IsCompleted)
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            await Task.WhenAny(drain, Task.Delay(5));
        }

        var error = await Assert.ThrowsAsync<ReadTimeoutException>(() => drain);
        Assert.Contains("ConverseStream response body", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Time_the_caller_spends_between_events_does_not_count_against_the_read_timeout()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var handler = new ScriptedHttpHandler().EnqueueStream(new MemoryStream(WireFixtures.Bytes("converse-stream.bin")));
        using var client = new BedrockRuntimeClient(Options(clock, TimeSpan.FromSeconds(30)) with { HttpHandler = handler });

        var events = 0;
        await foreach (var _ in client.ConverseStreamAsync(new ConverseStreamRequest { ModelId = "m", Messages = [Message.User("hi")] }))
        {
            // A slow consumer: ten minutes per event (a tool, a UI) while nothing is being read.
            clock.Advance(TimeSpan.FromMinutes(10));
            events++;
        }

        Assert.Equal(13, events);
    }

    [Fact]
    public void The_read_timer_runs_only_while_armed_and_not_while_connecting()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var timeout = new ReadTimeout(TimeSpan.FromSeconds(10), clock, CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(timeout.TimedOut, "a timer never armed does not fire");

        timeout.Arm();
        timeout.ConnectStarted();
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(timeout.TimedOut, "connecting stops the timer");
        Assert.True(timeout.Connecting);

        timeout.ConnectCompleted();
        Assert.False(timeout.Connecting);
        clock.Advance(TimeSpan.FromSeconds(9));
        timeout.Disarm();
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(timeout.TimedOut, "a disarmed timer does not fire");

        timeout.Arm();
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(timeout.TimedOut);
        Assert.True(timeout.Token.IsCancellationRequested);
    }

    [Fact]
    public void A_failed_connect_restarts_the_read_timer_and_still_counts_as_connecting()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var timeout = new ReadTimeout(TimeSpan.FromSeconds(10), clock, CancellationToken.None);
        timeout.Arm();
        timeout.ConnectStarted();

        // The request may be served on another pooled connection: waiting for it is a read again.
        timeout.ConnectFailed();
        Assert.True(timeout.Connecting);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(timeout.TimedOut);
    }

    [Fact]
    public void Connection_progress_reported_after_the_attempt_ended_is_ignored()
    {
        var timeout = new ReadTimeout(TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None);
        timeout.Dispose();

        // The transport may finish a connection for a request that already gave up.
        timeout.ConnectStarted();
        timeout.ConnectCompleted();
        timeout.ConnectFailed();
        timeout.Arm();
        timeout.Disarm();
    }

    /// <summary>Reads one HTTP/1.1 request (headers and Content-Length body) and answers 200 with a JSON body.</summary>
    private static async Task ServeOnceAsync(Socket connection, string json)
    {
        await using var stream = new NetworkStream(connection, ownsSocket: false);
        var received = new List<byte>();
        var buffer = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOf(received, "\r\n\r\n"u8)) < 0)
        {
            var n = await stream.ReadAsync(buffer);
            Assert.True(n > 0, "the client closed the connection before sending a request");
            received.AddRange(buffer.AsSpan(0, n));
        }

        var headers = Encoding.ASCII.GetString([.. received.Take(headerEnd)]);
        var length = int.Parse(headers.Split("\r\n").First(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        while (received.Count < headerEnd + 4 + length)
        {
            var n = await stream.ReadAsync(buffer);
            Assert.True(n > 0);
            received.AddRange(buffer.AsSpan(0, n));
        }

        var body = Encoding.UTF8.GetBytes(json);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"));
        await stream.WriteAsync(body);
    }

    private static int IndexOf(List<byte> bytes, ReadOnlySpan<byte> pattern) => bytes.ToArray().AsSpan().IndexOf(pattern);

    /// <summary>A body that returns a few bytes per read and lets <paramref name="perRead"/> pass on the fake clock before each later read.</summary>
    private sealed class TrickleStream(byte[] data, int chunk, FakeTimeProvider clock, TimeSpan perRead) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            if (_position > 0)
            {
                clock.Advance(perRead);
            }

            cancellationToken.ThrowIfCancellationRequested();
            var n = Math.Min(Math.Min(chunk, buffer.Length), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer.Span);
            _position += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
