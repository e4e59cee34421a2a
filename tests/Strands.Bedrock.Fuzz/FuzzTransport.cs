using System.Net;

namespace Strands.Bedrock.Fuzz;

/// <summary>
/// The in-process transport of the fuzzer: the first request of a case gets the mutated stream, delivered in reads of
/// random size (1 byte to a few KiB) so frames arrive split anywhere; any later request of the case (an agent's next
/// cycle after a tool ran) gets a plain valid answer. No sockets: the fuzzer measures the decoder, not the network.
/// </summary>
internal sealed class FuzzTransport : HttpMessageHandler
{
    private byte[] _body = [];
    private int _chunkSeed;
    private int _calls;

    /// <summary>Requests served in the current case.</summary>
    public int Calls => _calls;

    /// <summary>Starts a case.</summary>
    public void Load(byte[] body, int chunkSeed)
    {
        _body = body;
        _chunkSeed = chunkSeed;
        _calls = 0;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var first = Interlocked.Increment(ref _calls) == 1;
        var body = first ? _body : Corpus.FollowUp;
        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new RandomChunkStream(body, new Random(_chunkSeed))),
            RequestMessage = request,
        };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", "application/vnd.amazon.eventstream");
        return Task.FromResult(response);
    }

    private sealed class RandomChunkStream(byte[] data, Random random) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var chunk = random.Next(4) == 0 ? random.Next(1, 8) : random.Next(1, 4096);
            var n = Math.Min(Math.Min(chunk, buffer.Length), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<int>(cancellationToken) : new ValueTask<int>(Read(buffer.Span));

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
