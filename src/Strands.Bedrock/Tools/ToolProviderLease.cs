namespace Strands.Tools;

/// <summary>
/// The tools of an <see cref="IToolProvider"/>, held by one consumer (typically an agent). Disposing the lease tells
/// the provider that this consumer is done; the provider stops when its last lease is disposed. Disposing is
/// idempotent and thread-safe.
/// </summary>
public sealed class ToolProviderLease : IAsyncDisposable
{
    private Func<ValueTask>? _release;

    /// <summary>Creates a lease; called by <see cref="IToolProvider"/> implementations.</summary>
    /// <param name="tools">The tools the consumer may use while it holds the lease.</param>
    /// <param name="release">Releases the lease; called once, by the first <see cref="DisposeAsync"/>.</param>
    public ToolProviderLease(IEnumerable<AgentTool> tools, Func<ValueTask> release)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(release);
        Tools = [.. tools];
        _release = release;
    }

    /// <summary>The leased tools.</summary>
    public IReadOnlyList<AgentTool> Tools { get; }

    /// <summary>Releases the lease; later calls do nothing.</summary>
    /// <returns>A task that completes when the provider has processed the release (e.g. stopped its server).</returns>
    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _release, null) is { } release ? release() : default;
}
