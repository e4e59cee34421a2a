namespace Strands.Mcp;

/// <summary>
/// A resource started by its first lease and stopped when its last lease is released (Strands' tool provider
/// consumers, as reference counts): starts and stops are serialised, concurrent acquisitions during a start share
/// it, a release is counted once however often it is called, and after <see cref="DisposeAsync"/> the resource is
/// stopped and nothing starts it again.
/// </summary>
/// <typeparam name="T">The resource.</typeparam>
internal sealed class RefCountedResource<T> : IAsyncDisposable
    where T : class
{
    private readonly Func<CancellationToken, Task<T>> _start;
    private readonly Func<T, ValueTask> _stop;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private T? _current;
    private long _generation;
    private int _leases;
    private bool _disposed;

    public RefCountedResource(Func<CancellationToken, Task<T>> start, Func<T, ValueTask> stop)
    {
        _start = start;
        _stop = stop;
    }

    /// <summary>The number of leases held (for tests and diagnostics).</summary>
    public int LeaseCount => Volatile.Read(ref _leases);

    /// <summary>Whether the resource is running.</summary>
    public bool IsRunning => Volatile.Read(ref _current) is not null;

    /// <summary>Starts the resource unless it runs, and takes a lease on it.</summary>
    /// <param name="cancellationToken">Cancels waiting for a start, or the start itself.</param>
    /// <returns>The resource, and the release of the lease (idempotent).</returns>
    /// <exception cref="ObjectDisposedException">The owner was disposed.</exception>
    public async Task<(T Resource, Func<ValueTask> Release)> AcquireAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_current is null)
            {
                var started = await _start(cancellationToken).ConfigureAwait(false);
                _generation++;
                Volatile.Write(ref _current, started);
            }

            _leases++;
            var resource = _current;
            var generation = _generation;
            var released = 0;
            return (resource, () => Interlocked.Exchange(ref released, 1) == 0 ? ReleaseAsync(generation) : default);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the resource whatever leases remain; later acquisitions throw, later releases do nothing.</summary>
    /// <returns>A task that completes when the resource stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await StopCurrentAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask ReleaseAsync(long generation)
    {
        // Not cancellable: a consumer being disposed must be able to give its lease back.
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            // A lease of a stopped generation (only after DisposeAsync) has nothing left to release.
            if (_disposed || generation != _generation || _current is null)
            {
                return;
            }

            if (--_leases == 0)
            {
                await StopCurrentAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask StopCurrentAsync()
    {
        var current = _current;
        Volatile.Write(ref _current, null);
        _leases = 0;
        if (current is not null)
        {
            await _stop(current).ConfigureAwait(false);
        }
    }
}
