using System.IO.Pipelines;
using System.Net;

namespace Strands.Bedrock.Testing.Internal;

/// <summary>
/// Writes an engine response into a <see cref="Pipe"/> whose reader is the content of an
/// <see cref="HttpResponseMessage"/>: the body streams as it is written, with back-pressure, and a scripted drop
/// fails the reader with an <see cref="IOException"/> as a reset connection would.
/// </summary>
internal sealed class PipeResponseSink : IFakeResponseSink, IDisposable
{
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024, useSynchronizationContext: false));
    private readonly CancellationTokenSource _clientGone = new();
    private readonly TaskCompletionSource<HttpResponseMessage> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HttpRequestMessage _request;
    private readonly List<KeyValuePair<string, string>> _headers = [];
    private int _status = 200;
    private long? _contentLength;
    private volatile bool _endedPrematurely;

    public PipeResponseSink(HttpRequestMessage request) => _request = request;

    public CancellationToken ClientGone => _clientGone.Token;

    public bool HasStarted => _started.Task.IsCompleted;

    /// <summary>Completes with the response once its headers are "sent".</summary>
    public Task<HttpResponseMessage> Started => _started.Task;

    public void SetStatus(int statusCode) => _status = statusCode;

    public void SetHeader(string name, string value) => _headers.Add(new(name, value));

    public void SetContentLength(long length) => _contentLength = length;

    public ValueTask StartAsync(CancellationToken cancellationToken)
    {
        Start();
        return ValueTask.CompletedTask;
    }

    private void Start()
    {
        if (HasStarted)
        {
            return;
        }

        var content = new StreamContent(new PipeReaderStream(_pipe.Reader, ClientWentAway, this));
        var response = new HttpResponseMessage((HttpStatusCode)_status) { Content = content, RequestMessage = _request, Version = HttpVersion.Version11 };
        foreach (var (name, value) in _headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, value))
            {
                content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (_contentLength is { } length)
        {
            content.Headers.ContentLength = length;
        }

        _started.TrySetResult(response);
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        var result = await _pipe.Writer.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted || result.IsCanceled)
        {
            throw new ClientGoneSignal();
        }
    }

    public void EndPrematurely()
    {
        // What was written stays readable; the reader then fails as SocketsHttpHandler does on a closed connection.
        Start();
        _endedPrematurely = true;
        _pipe.Writer.Complete();
    }

    public void Abort()
    {
        var error = new HttpIOException(HttpRequestError.ResponseEnded, "The fake Bedrock aborted the connection.");
        if (!_started.TrySetException(new HttpRequestException(HttpRequestError.ResponseEnded, error.Message, error)))
        {
            _pipe.Writer.Complete(error);
        }
    }

    /// <summary>Ends the body after the engine is done (a no-op after <see cref="Abort"/>).</summary>
    public void Complete()
    {
        if (!HasStarted)
        {
            _status = 500;
            Start();
        }

        _pipe.Writer.Complete();
    }

    /// <summary>The caller gave up before the headers arrived.</summary>
    public void Cancel()
    {
        ClientWentAway();
        _pipe.Writer.Complete();
    }

    public void Dispose() => _clientGone.Dispose();

    private void ClientWentAway()
    {
        try
        {
            _clientGone.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The exchange is over.
        }
    }

    /// <summary>A read-only stream over a pipe reader that reports its disposal (the client hanging up).</summary>
    private sealed class PipeReaderStream(PipeReader reader, Action onDispose, PipeResponseSink sink) : Stream
    {
        private readonly Stream _inner = reader.AsStream(leaveOpen: false);
        private int _disposed;
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer) => Count(_inner.Read(buffer), buffer.Length);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false), buffer.Length);

        private int Count(int read, int requested)
        {
            _read += read;
            if (read == 0 && requested > 0 && sink._endedPrematurely && (sink._contentLength is not { } length || _read < length || length == 0))
            {
                throw new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely: the fake Bedrock dropped the connection (FakeResponse.DropConnectionAfterBytes).");
            }

            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _inner.Dispose();
                onDispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                await _inner.DisposeAsync().ConfigureAwait(false);
                onDispose();
            }

            await base.DisposeAsync().ConfigureAwait(false);
        }
    }
}
