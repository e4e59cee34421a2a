using System.Buffers;

namespace Strands.Bedrock.Testing.Internal;

/// <summary>
/// Writes a response body through a sink: either each write as its own flushed chunk, or re-cut into chunks of a
/// fixed size; and drops the connection once a byte budget is spent, when scripted.
/// </summary>
internal sealed class BodyOutput
{
    private readonly IFakeResponseSink _sink;
    private readonly long? _dropAfter;
    private readonly int? _chunkSize;
    private readonly ArrayBufferWriter<byte>? _pending;
    private long _written;

    public BodyOutput(IFakeResponseSink sink, long? dropAfter, int? chunkSize)
    {
        _sink = sink;
        _dropAfter = dropAfter;
        _chunkSize = chunkSize;
        _pending = chunkSize is null ? null : new ArrayBufferWriter<byte>(Math.Max(chunkSize.Value * 2, 256));
    }

    /// <summary>Body bytes sent so far.</summary>
    public long Written => _written;

    /// <summary>Writes body bytes (as one chunk, or into the fixed-size chunking buffer).</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_pending is null)
        {
            await EmitAsync(data, cancellationToken).ConfigureAwait(false);
            return;
        }

        var chunk = _chunkSize!.Value;
        if (_pending.WrittenCount == 0)
        {
            // Whole chunks straight from the input; only the remainder is buffered.
            while (data.Length >= chunk)
            {
                await EmitAsync(data[..chunk], cancellationToken).ConfigureAwait(false);
                data = data[chunk..];
            }

            _pending.Write(data.Span);
            return;
        }

        _pending.Write(data.Span);
        if (_pending.WrittenCount < chunk)
        {
            return;
        }

        var buffered = _pending.WrittenMemory.ToArray();
        _pending.ResetWrittenCount();
        var offset = 0;
        while (buffered.Length - offset >= chunk)
        {
            await EmitAsync(buffered.AsMemory(offset, chunk), cancellationToken).ConfigureAwait(false);
            offset += chunk;
        }

        _pending.Write(buffered.AsSpan(offset));
    }

    /// <summary>Sends what is still buffered; when a drop is scripted and not yet done, drops the connection now.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_pending is { WrittenCount: > 0 })
        {
            var rest = _pending.WrittenMemory.ToArray();
            _pending.ResetWrittenCount();
            await EmitAsync(rest, cancellationToken).ConfigureAwait(false);
        }

        if (_dropAfter is not null)
        {
            Drop();
        }
    }

    private async ValueTask EmitAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_dropAfter is { } limit && _written + data.Length >= limit)
        {
            var allowed = (int)(limit - _written);
            if (allowed > 0)
            {
                await _sink.WriteAsync(data[..allowed], cancellationToken).ConfigureAwait(false);
                _written += allowed;
            }

            Drop();
        }

        if (data.IsEmpty)
        {
            return;
        }

        await _sink.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        _written += data.Length;
    }

    private void Drop()
    {
        _sink.EndPrematurely();
        throw new ConnectionDroppedSignal();
    }
}

/// <summary>Unwinds the rendering after a scripted connection drop.</summary>
internal sealed class ConnectionDroppedSignal : Exception
{
    public ConnectionDroppedSignal()
        : base("The fake dropped the connection as scripted.")
    {
    }
}

/// <summary>Unwinds the rendering when the client went away.</summary>
internal sealed class ClientGoneSignal : Exception
{
    public ClientGoneSignal()
        : base("The client went away before the response was complete.")
    {
    }
}
