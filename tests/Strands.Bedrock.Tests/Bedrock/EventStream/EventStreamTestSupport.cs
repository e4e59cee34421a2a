using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Strands.Bedrock.EventStream;
using Strands.Tests.TestUtilities;
using Xunit;

namespace Strands.Tests.Bedrock.EventStream;

/// <summary>A frame as described by a <c>*-frames.json</c> fixture.</summary>
internal sealed record ExpectedFrame(
    long Offset,
    int TotalLength,
    int HeadersLength,
    uint PreludeCrc,
    uint MessageCrc,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Payload);

/// <summary>A copy of the reader's current frame, safe to keep after the next read.</summary>
internal sealed record DecodedFrame(
    long Offset,
    int TotalLength,
    int HeadersLength,
    uint PreludeCrc,
    uint MessageCrc,
    EventStreamHeader[] Headers,
    byte[] Payload,
    string? MessageType,
    string? EventType,
    string? ExceptionType,
    string? ContentType,
    string? ErrorCode,
    string? ErrorMessage);

internal static class EventStreamTestSupport
{
    public static readonly int[] ChunkSizes = [1, 7, 37, 4096];

    /// <summary>The frames a <c>*-frames.json</c> wire fixture describes.</summary>
    public static List<ExpectedFrame> ReadExpectedFrames(string name)
    {
        using JsonDocument document = WireFixtures.Document(name);
        return ParseFrames(document.RootElement);
    }

    public static List<ExpectedFrame> ParseFrames(JsonElement array)
    {
        var frames = new List<ExpectedFrame>();
        foreach (JsonElement frame in array.EnumerateArray())
        {
            var headers = new List<KeyValuePair<string, string>>();
            foreach (JsonProperty header in frame.GetProperty("headers").EnumerateObject())
            {
                headers.Add(new(header.Name, header.Value.GetString()!));
            }

            frames.Add(new ExpectedFrame(
                frame.GetProperty("offset").GetInt64(),
                frame.GetProperty("totalLength").GetInt32(),
                frame.GetProperty("headersLength").GetInt32(),
                frame.GetProperty("preludeCrc").GetUInt32(),
                frame.GetProperty("messageCrc").GetUInt32(),
                headers,
                Encoding.UTF8.GetBytes(frame.GetProperty("payload").GetString()!)));
        }

        return frames;
    }

    public static DecodedFrame Snapshot(EventStreamReader reader) => new(
        reader.FrameOffset,
        reader.FrameLength,
        reader.HeadersLength,
        reader.PreludeCrc,
        reader.MessageCrc,
        reader.Headers.Select(h => h.Type == EventStreamHeaderType.ByteArray
            ? EventStreamHeader.ByteArray(h.Name, h.GetBytes().ToArray())
            : h).ToArray(),
        reader.Payload.ToArray(),
        reader.MessageType,
        reader.EventType,
        reader.ExceptionType,
        reader.ContentType,
        reader.ErrorCode,
        reader.ErrorMessage);

    /// <summary>Decodes every frame of <paramref name="data"/>, served <paramref name="chunkSize"/> bytes per read.</summary>
    public static async Task<List<DecodedFrame>> DecodeAllAsync(byte[] data, int chunkSize = int.MaxValue, int maxFrameLength = EventStreamReader.DefaultMaxFrameLength)
    {
        var frames = new List<DecodedFrame>();
        await using var reader = new EventStreamReader(new ChunkedStream(data, chunkSize), maxFrameLength);
        while (await reader.ReadNextAsync())
        {
            frames.Add(Snapshot(reader));
        }

        return frames;
    }

    public static void AssertMatches(ExpectedFrame expected, DecodedFrame actual)
    {
        Assert.Equal(expected.Offset, actual.Offset);
        Assert.Equal(expected.TotalLength, actual.TotalLength);
        Assert.Equal(expected.HeadersLength, actual.HeadersLength);
        Assert.Equal(expected.PreludeCrc, actual.PreludeCrc);
        Assert.Equal(expected.MessageCrc, actual.MessageCrc);
        Assert.Equal(expected.Headers.Count, actual.Headers.Length);
        for (int i = 0; i < expected.Headers.Count; i++)
        {
            Assert.Equal(expected.Headers[i].Key, actual.Headers[i].Name);
            Assert.Equal(EventStreamHeaderType.String, actual.Headers[i].Type);
            Assert.Equal(expected.Headers[i].Value, actual.Headers[i].GetString());
        }

        Assert.Equal(expected.Payload, actual.Payload);
        Assert.Equal(Lookup(expected, ":message-type"), actual.MessageType);
        Assert.Equal(Lookup(expected, ":event-type"), actual.EventType);
        Assert.Equal(Lookup(expected, ":exception-type"), actual.ExceptionType);
        Assert.Equal(Lookup(expected, ":content-type"), actual.ContentType);
        Assert.Equal(Lookup(expected, ":error-code"), actual.ErrorCode);
        Assert.Equal(Lookup(expected, ":error-message"), actual.ErrorMessage);
    }

    /// <summary>Rewrites the prelude CRC of the frame at <paramref name="offset"/> to match its first 8 bytes.</summary>
    public static void FixPreludeCrc(byte[] data, int offset = 0) =>
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(offset + 8), Crc32.HashToUInt32(data.AsSpan(offset, 8)));

    /// <summary>Rewrites the message CRC of the frame at <paramref name="offset"/> whose true length is <paramref name="length"/>.</summary>
    public static void FixMessageCrc(byte[] data, int offset, int length) =>
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(offset + length - 4), Crc32.HashToUInt32(data.AsSpan(offset, length - 4)));

    private static string? Lookup(ExpectedFrame frame, string name) =>
        frame.Headers.Where(h => h.Key == name).Select(h => h.Value).FirstOrDefault();
}

/// <summary>A read-only in-memory stream that returns at most a fixed number of bytes per read.</summary>
internal sealed class ChunkedStream(byte[] data, int chunkSize) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public int ReadCalls { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ReadCalls++;
        int n = Math.Min(Math.Min(buffer.Length, chunkSize), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<int>(Read(buffer.Span));
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

/// <summary>A stream fed chunk by chunk by the test; a read with nothing queued waits (honouring its token) for the next chunk.</summary>
internal sealed class GatedStream : Stream
{
    private readonly Channel<byte[]> _chunks = Channel.CreateUnbounded<byte[]>();
    private byte[] _current = [];
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public void Feed(byte[] chunk) => Assert.True(_chunks.Writer.TryWrite(chunk));

    public void Complete() => _chunks.Writer.Complete();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_position == _current.Length)
        {
            if (!await _chunks.Reader.WaitToReadAsync(cancellationToken))
            {
                return 0;
            }

            if (_chunks.Reader.TryRead(out byte[]? next))
            {
                _current = next;
                _position = 0;
            }
        }

        int n = Math.Min(buffer.Length, _current.Length - _position);
        _current.AsMemory(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Use ReadAsync.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>A stream whose reads never return data: they wait on their cancellation token forever.</summary>
internal sealed class NeverEndingStream : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public int ReadCalls { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ReadCalls++;
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Use ReadAsync.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
