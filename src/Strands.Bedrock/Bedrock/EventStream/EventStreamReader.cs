using System.Buffers;
using System.Buffers.Binary;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;

namespace Strands.Bedrock.EventStream;

/// <summary>
/// Reads <c>application/vnd.amazon.eventstream</c> frames from a <see cref="Stream"/>, one frame per
/// <see cref="ReadNextAsync"/>, verifying both CRC-32 checksums and every length.
/// </summary>
/// <remarks>
/// <para>
/// The reader reads into one pooled, growable buffer and decodes frames in place: the current frame's
/// <see cref="Payload"/>, <see cref="Headers"/> and byte-array header values point into that buffer and are valid
/// only until the next call to <see cref="ReadNextAsync"/> or <see cref="Dispose"/>. Frames that are already
/// buffered are decoded synchronously; well-known header names and values are returned as cached strings, so the
/// steady state allocates nothing per frame.
/// </para>
/// <para>
/// The reader never asks the stream for more bytes than it needs to complete the current frame, so it works on live
/// response streams. After an <see cref="EventStreamException"/> the reader refuses further reads. A cancelled read
/// leaves the reader usable (bytes already received are kept) if the underlying stream is.
/// The reader is not thread-safe and allows one read at a time.
/// </para>
/// </remarks>
internal sealed class EventStreamReader : IDisposable, IAsyncDisposable
{
    /// <summary>The size of a frame's prelude: total length, headers length and prelude CRC.</summary>
    public const int PreludeLength = 12;

    /// <summary>The smallest valid frame: a prelude and a message CRC, with no headers and no payload.</summary>
    public const int MinFrameLength = 16;

    /// <summary>
    /// The default bound on a frame's total length: the service limits of 24 MiB of payload and 128 KiB of headers,
    /// plus the 16 bytes of prelude and message CRC.
    /// </summary>
    public const int DefaultMaxFrameLength = (24 * 1024 * 1024) + (128 * 1024) + MinFrameLength;

    private const int InitialBufferSize = 64 * 1024;
    private const int MinFreeSpace = 4 * 1024;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _maxFrameLength;
    private readonly List<EventStreamHeader> _headers = new(4);
    private readonly ReadOnlyCollection<EventStreamHeader> _headersView;

    private byte[] _buffer = [];
    private int _start;
    private int _end;
    private long _startOffset;
    private int _pendingFrameLength;
    private bool _busy;
    private bool _disposed;
    private EventStreamErrorKind? _failure;

    /// <summary>Creates a reader over <paramref name="stream"/>.</summary>
    /// <param name="stream">The stream of frames, for example an HTTP response body.</param>
    /// <param name="maxFrameLength">
    /// The largest total frame length accepted, at least <see cref="MinFrameLength"/>; a larger frame fails with
    /// <see cref="EventStreamErrorKind.FrameTooLarge"/> before any of it is buffered.
    /// </param>
    /// <param name="leaveOpen"><see langword="true"/> (the default) to leave the stream open when the reader is disposed.</param>
    public EventStreamReader(Stream stream, int maxFrameLength = DefaultMaxFrameLength, bool leaveOpen = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameLength, MinFrameLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxFrameLength, Array.MaxLength);
        _stream = stream;
        _maxFrameLength = maxFrameLength;
        _leaveOpen = leaveOpen;
        _headersView = _headers.AsReadOnly();
    }

    /// <summary>The largest total frame length this reader accepts.</summary>
    public int MaxFrameLength => _maxFrameLength;

    /// <summary>The value of the current frame's <c>:message-type</c> string header (<c>event</c>, <c>exception</c> or <c>error</c>), if any.</summary>
    public string? MessageType { get; private set; }

    /// <summary>The value of the current frame's <c>:event-type</c> string header, if any.</summary>
    public string? EventType { get; private set; }

    /// <summary>The value of the current frame's <c>:exception-type</c> string header, if any.</summary>
    public string? ExceptionType { get; private set; }

    /// <summary>The value of the current frame's <c>:content-type</c> string header, if any.</summary>
    public string? ContentType { get; private set; }

    /// <summary>The value of the current frame's <c>:error-code</c> string header, if any.</summary>
    public string? ErrorCode { get; private set; }

    /// <summary>The value of the current frame's <c>:error-message</c> string header, if any.</summary>
    public string? ErrorMessage { get; private set; }

    /// <summary>All headers of the current frame, in wire order. The list is reused by the next read.</summary>
    public IReadOnlyList<EventStreamHeader> Headers => _headersView;

    /// <summary>The current frame's payload, pointing into the reader's buffer; valid until the next read.</summary>
    public ReadOnlyMemory<byte> Payload { get; private set; }

    /// <summary>The current frame's total length in bytes, prelude and CRCs included; 0 when there is no current frame.</summary>
    public int FrameLength { get; private set; }

    /// <summary>The current frame's headers length in bytes.</summary>
    public int HeadersLength { get; private set; }

    /// <summary>The offset of the current frame from the position of the stream when the reader was created.</summary>
    public long FrameOffset { get; private set; }

    /// <summary>The current frame's prelude CRC-32 (verified).</summary>
    public uint PreludeCrc { get; private set; }

    /// <summary>The current frame's message CRC-32 (verified).</summary>
    public uint MessageCrc { get; private set; }

    /// <summary>Returns the first header of the current frame named <paramref name="name"/> (ordinal comparison).</summary>
    /// <param name="name">The header name.</param>
    /// <param name="header">The header, or <see langword="default"/> if there is none.</param>
    /// <returns><see langword="true"/> if the current frame has such a header.</returns>
    public bool TryGetHeader(string name, out EventStreamHeader header)
    {
        foreach (EventStreamHeader candidate in _headers)
        {
            if (string.Equals(candidate.Name, name, StringComparison.Ordinal))
            {
                header = candidate;
                return true;
            }
        }

        header = default;
        return false;
    }

    /// <summary>
    /// Reads exactly one frame and makes it the current frame.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait for data from the stream.</param>
    /// <returns>
    /// <see langword="true"/> when a frame was read; <see langword="false"/> when the stream ended cleanly at a
    /// frame boundary.
    /// </returns>
    /// <exception cref="EventStreamException">The stream is corrupt, truncated, or a frame is too large.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    /// <exception cref="InvalidOperationException">A previous read failed, or another read is in progress.</exception>
    public ValueTask<bool> ReadNextAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfUnusable();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        // Frames already buffered, and reads that the stream completes synchronously, are handled without any
        // async state machine; only a read that is really pending goes to ReadPendingAsync.
        try
        {
            while (!TryDecodeBufferedFrame())
            {
                ValueTask<int> read = StartRead(cancellationToken);
                if (!read.IsCompletedSuccessfully)
                {
                    _busy = true;
                    return ReadPendingAsync(read, cancellationToken);
                }

                if (!AppendRead(read.Result))
                {
                    return new ValueTask<bool>(false);
                }
            }

            return new ValueTask<bool>(true);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // As an async method would: a cancelled read is a cancelled ValueTask, not a synchronous throw.
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<bool>(ex);
        }
    }

    /// <summary>Returns the pooled buffer and, unless the reader was created with <c>leaveOpen</c>, disposes the stream.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        ReleaseBuffers();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    /// <summary>Returns the pooled buffer and, unless the reader was created with <c>leaveOpen</c>, disposes the stream.</summary>
    /// <returns>A task that completes when the stream is disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        ReleaseBuffers();
        if (!_leaveOpen)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ReadPendingAsync(ValueTask<int> pending, CancellationToken cancellationToken)
    {
        try
        {
            int read = await pending.ConfigureAwait(false);
            while (true)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (!AppendRead(read))
                {
                    return false;
                }

                if (TryDecodeBufferedFrame())
                {
                    return true;
                }

                read = await StartRead(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Starts a read of more bytes for the frame at <see cref="_start"/>, into the free end of the buffer.</summary>
    private ValueTask<int> StartRead(CancellationToken cancellationToken)
    {
        // The current frame is about to be invalidated (the buffer may be compacted or replaced).
        ClearCurrentFrame();
        MakeRoom(_pendingFrameLength != 0 ? _pendingFrameLength : PreludeLength);
        return _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
    }

    /// <summary>
    /// Accounts for <paramref name="read"/> bytes just read. Returns <see langword="false"/> at a clean end of stream
    /// (nothing buffered); throws <see cref="EventStreamErrorKind.TruncatedFrame"/> at an end of stream inside a frame.
    /// </summary>
    private bool AppendRead(int read)
    {
        if (read > 0)
        {
            _end += read;
            return true;
        }

        int buffered = _end - _start;
        if (buffered == 0)
        {
            return false;
        }

        throw Fail(EventStreamErrorKind.TruncatedFrame, _pendingFrameLength != 0
            ? string.Create(CultureInfo.InvariantCulture, $"The event stream ended after {buffered} of the {_pendingFrameLength} bytes of the frame at offset {_startOffset}.")
            : string.Create(CultureInfo.InvariantCulture, $"The event stream ended after {buffered} of the {PreludeLength} prelude bytes of the frame at offset {_startOffset}."));
    }

    /// <summary>
    /// Makes sure the buffer can receive more bytes of the frame at <see cref="_start"/>, which needs
    /// <paramref name="required"/> bytes in all: compacts, and grows geometrically (never past
    /// <paramref name="required"/>), so a frame that lies about its length costs memory only as its bytes arrive.
    /// </summary>
    private void MakeRoom(int required)
    {
        if (_buffer.Length == 0)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        }

        int buffered = _end - _start;
        if (buffered == 0)
        {
            _start = _end = 0;
        }
        else if (_start > 0 && (_buffer.Length - _start < required || _buffer.Length - _end < MinFreeSpace))
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, buffered);
            _start = 0;
            _end = buffered;
        }

        if (_end == _buffer.Length)
        {
            // Full, and the frame is still incomplete (buffered < required), so required > _buffer.Length.
            int newSize = (int)Math.Min((long)_buffer.Length * 2, required);
            byte[] grown = ArrayPool<byte>.Shared.Rent(newSize);
            Buffer.BlockCopy(_buffer, _start, grown, 0, buffered);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = grown;
            _start = 0;
            _end = buffered;
        }
    }

    private bool TryDecodeBufferedFrame()
    {
        int available = _end - _start;
        int total = _pendingFrameLength;
        if (total == 0)
        {
            if (available < PreludeLength)
            {
                return false;
            }

            total = ReadPrelude();
            _pendingFrameLength = total;
        }

        if (available < total)
        {
            return false;
        }

        DecodeFrame(total);
        _pendingFrameLength = 0;
        return true;
    }

    /// <summary>Verifies the prelude of the frame at <see cref="_start"/> and returns its total length.</summary>
    private int ReadPrelude()
    {
        ReadOnlySpan<byte> prelude = _buffer.AsSpan(_start, PreludeLength);
        uint totalLength = BinaryPrimitives.ReadUInt32BigEndian(prelude);
        uint headersLength = BinaryPrimitives.ReadUInt32BigEndian(prelude[4..]);
        uint preludeCrc = BinaryPrimitives.ReadUInt32BigEndian(prelude[8..]);
        uint computed = Crc32.HashToUInt32(prelude[..8]);
        if (computed != preludeCrc)
        {
            throw Fail(EventStreamErrorKind.PreludeChecksumMismatch,
                string.Create(CultureInfo.InvariantCulture, $"Prelude checksum mismatch in the event-stream frame at offset {_startOffset}: the frame says 0x{preludeCrc:x8}, the prelude hashes to 0x{computed:x8}."));
        }

        if (totalLength < MinFrameLength)
        {
            throw Fail(EventStreamErrorKind.MalformedFrame,
                string.Create(CultureInfo.InvariantCulture, $"The event-stream frame at offset {_startOffset} declares a total length of {totalLength} bytes; the minimum is {MinFrameLength}."));
        }

        if (totalLength > (uint)_maxFrameLength)
        {
            throw Fail(EventStreamErrorKind.FrameTooLarge,
                string.Create(CultureInfo.InvariantCulture, $"The event-stream frame at offset {_startOffset} declares a total length of {totalLength} bytes, more than the maximum of {_maxFrameLength}."));
        }

        if (headersLength > totalLength - MinFrameLength)
        {
            throw Fail(EventStreamErrorKind.MalformedFrame,
                string.Create(CultureInfo.InvariantCulture, $"The event-stream frame at offset {_startOffset} declares {headersLength} bytes of headers, more than its total length of {totalLength} allows ({totalLength - MinFrameLength})."));
        }

        return (int)totalLength;
    }

    /// <summary>Verifies the message CRC of the complete frame at <see cref="_start"/>, decodes it and consumes it.</summary>
    private void DecodeFrame(int total)
    {
        ReadOnlySpan<byte> frame = _buffer.AsSpan(_start, total);
        uint messageCrc = BinaryPrimitives.ReadUInt32BigEndian(frame[(total - 4)..]);
        uint computed = Crc32.HashToUInt32(frame[..(total - 4)]);
        if (computed != messageCrc)
        {
            throw Fail(EventStreamErrorKind.MessageChecksumMismatch,
                string.Create(CultureInfo.InvariantCulture, $"Message checksum mismatch in the event-stream frame at offset {_startOffset} ({total} bytes): the frame says 0x{messageCrc:x8}, its bytes hash to 0x{computed:x8}."));
        }

        int headersLength = (int)BinaryPrimitives.ReadUInt32BigEndian(frame[4..]);
        DecodeHeaders(frame.Slice(PreludeLength, headersLength), _start + PreludeLength);

        int payloadStart = PreludeLength + headersLength;
        Payload = _buffer.AsMemory(_start + payloadStart, total - payloadStart - 4);
        FrameLength = total;
        HeadersLength = headersLength;
        FrameOffset = _startOffset;
        PreludeCrc = BinaryPrimitives.ReadUInt32BigEndian(frame[8..]);
        MessageCrc = messageCrc;

        _start += total;
        _startOffset += total;
    }

    /// <param name="headers">The header bytes.</param>
    /// <param name="bufferIndex">The index of <paramref name="headers"/> in <see cref="_buffer"/>.</param>
    private void DecodeHeaders(ReadOnlySpan<byte> headers, int bufferIndex)
    {
        _headers.Clear();
        string? messageType = null, eventType = null, exceptionType = null, contentType = null, errorCode = null, errorMessage = null;

        int p = 0;
        while (p < headers.Length)
        {
            int headerStart = p;
            int nameLength = headers[p++];
            if (nameLength == 0)
            {
                throw MalformedHeader(headerStart, "has an empty name");
            }

            // The name and the type byte must fit.
            if (nameLength + 1 > headers.Length - p)
            {
                throw MalformedHeader(headerStart, string.Create(CultureInfo.InvariantCulture, $"declares a {nameLength}-byte name that runs past the end of the headers"));
            }

            ReadOnlySpan<byte> nameBytes = headers.Slice(p, nameLength);
            string name = EventStreamStrings.Find(nameBytes) ?? Encoding.UTF8.GetString(nameBytes);
            p += nameLength;

            byte typeCode = headers[p++];
            var type = (EventStreamHeaderType)typeCode;
            int remaining = headers.Length - p;
            EventStreamHeader header;
            switch (type)
            {
                case EventStreamHeaderType.BoolTrue:
                    header = new EventStreamHeader(name, type, 1, null, default, default);
                    break;
                case EventStreamHeaderType.BoolFalse:
                    header = new EventStreamHeader(name, type, 0, null, default, default);
                    break;
                case EventStreamHeaderType.Byte:
                    RequireValue(1, remaining, headerStart);
                    header = new EventStreamHeader(name, type, (sbyte)headers[p], null, default, default);
                    p += 1;
                    break;
                case EventStreamHeaderType.Int16:
                    RequireValue(2, remaining, headerStart);
                    header = new EventStreamHeader(name, type, BinaryPrimitives.ReadInt16BigEndian(headers[p..]), null, default, default);
                    p += 2;
                    break;
                case EventStreamHeaderType.Int32:
                    RequireValue(4, remaining, headerStart);
                    header = new EventStreamHeader(name, type, BinaryPrimitives.ReadInt32BigEndian(headers[p..]), null, default, default);
                    p += 4;
                    break;
                case EventStreamHeaderType.Int64:
                case EventStreamHeaderType.Timestamp:
                    RequireValue(8, remaining, headerStart);
                    header = new EventStreamHeader(name, type, BinaryPrimitives.ReadInt64BigEndian(headers[p..]), null, default, default);
                    p += 8;
                    break;
                case EventStreamHeaderType.ByteArray:
                case EventStreamHeaderType.String:
                    RequireValue(2, remaining, headerStart);
                    int valueLength = BinaryPrimitives.ReadUInt16BigEndian(headers[p..]);
                    p += 2;
                    RequireValue(valueLength, remaining - 2, headerStart);
                    if (type == EventStreamHeaderType.String)
                    {
                        ReadOnlySpan<byte> valueBytes = headers.Slice(p, valueLength);
                        string value = EventStreamStrings.Find(valueBytes) ?? Encoding.UTF8.GetString(valueBytes);
                        header = new EventStreamHeader(name, type, 0, value, default, default);
                        AssignWellKnown(name, value, ref messageType, ref eventType, ref exceptionType, ref contentType, ref errorCode, ref errorMessage);
                    }
                    else
                    {
                        header = new EventStreamHeader(name, type, 0, null, _buffer.AsMemory(bufferIndex + p, valueLength), default);
                    }

                    p += valueLength;
                    break;
                case EventStreamHeaderType.Uuid:
                    RequireValue(16, remaining, headerStart);
                    header = new EventStreamHeader(name, type, 0, null, default, new Guid(headers.Slice(p, 16), bigEndian: true));
                    p += 16;
                    break;
                default:
                    throw MalformedHeader(headerStart, string.Create(CultureInfo.InvariantCulture, $"has the unknown type code {typeCode}"));
            }

            _headers.Add(header);
        }

        MessageType = messageType;
        EventType = eventType;
        ExceptionType = exceptionType;
        ContentType = contentType;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
    }

    private static void AssignWellKnown(string name, string value, ref string? messageType, ref string? eventType, ref string? exceptionType,
        ref string? contentType, ref string? errorCode, ref string? errorMessage)
    {
        // Known names are cached instances, so reference comparison suffices; an unknown name never matches.
        if (ReferenceEquals(name, EventStreamStrings.MessageTypeHeader))
        {
            messageType = value;
        }
        else if (ReferenceEquals(name, EventStreamStrings.EventTypeHeader))
        {
            eventType = value;
        }
        else if (ReferenceEquals(name, EventStreamStrings.ContentTypeHeader))
        {
            contentType = value;
        }
        else if (ReferenceEquals(name, EventStreamStrings.ExceptionTypeHeader))
        {
            exceptionType = value;
        }
        else if (ReferenceEquals(name, EventStreamStrings.ErrorCodeHeader))
        {
            errorCode = value;
        }
        else if (ReferenceEquals(name, EventStreamStrings.ErrorMessageHeader))
        {
            errorMessage = value;
        }
    }

    private void RequireValue(int needed, int remaining, int headerStart)
    {
        if (needed > remaining)
        {
            throw MalformedHeader(headerStart, string.Create(CultureInfo.InvariantCulture, $"needs {needed} value bytes but only {remaining} remain in the headers"));
        }
    }

    private EventStreamException MalformedHeader(int headerStart, string problem) =>
        Fail(EventStreamErrorKind.MalformedFrame,
            string.Create(CultureInfo.InvariantCulture, $"The header at offset {headerStart} of the headers of the event-stream frame at offset {_startOffset} {problem}."));

    private EventStreamException Fail(EventStreamErrorKind kind, string message)
    {
        _failure = kind;
        ClearCurrentFrame();
        return new EventStreamException(kind, message);
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is { } failure)
        {
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"The event-stream reader failed earlier ({failure}) and cannot read further frames: its position in the stream is unknown."));
        }

        if (_busy)
        {
            throw new InvalidOperationException("Another ReadNextAsync call on this event-stream reader has not completed yet.");
        }
    }

    private void ClearCurrentFrame()
    {
        _headers.Clear();
        MessageType = EventType = ExceptionType = ContentType = ErrorCode = ErrorMessage = null;
        Payload = default;
        FrameLength = HeadersLength = 0;
        PreludeCrc = MessageCrc = 0;
    }

    private void ReleaseBuffers()
    {
        _disposed = true;
        ClearCurrentFrame();
        byte[] buffer = _buffer;
        _buffer = [];
        _start = _end = 0;

        // A read still in flight may write into the buffer later: then leave it to the GC rather than the pool.
        if (buffer.Length > 0 && !_busy)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
