using System.Runtime.ExceptionServices;
using Strands.Tools;

namespace Strands.Agents;

/// <summary>
/// The agent's side of its <see cref="IToolProvider"/>s: each provider is leased once, on first need (before the
/// first model call, or <see cref="Agent.InitializeAsync"/>), its tools registered beside the agent's own, and the
/// lease kept until the agent is disposed. A provider that fails to start fails that invocation and is tried again
/// by the next; the agent never disposes the providers themselves (they may be shared, and their owner disposes them).
/// </summary>
internal sealed class ToolProviderLeases(IReadOnlyList<IToolProvider> providers, ToolRegistry registry) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<ToolProviderLease> _leases = [];
    private int _loaded;
    private bool _disposed;

    /// <summary>Whether every provider's tools are registered.</summary>
    public bool AllLoaded => Volatile.Read(ref _loaded) == providers.Count;

    /// <summary>Leases the providers not leased yet and registers their tools.</summary>
    /// <exception cref="ObjectDisposedException">The agent was disposed.</exception>
    /// <exception cref="ArgumentException">A provider's tool has the name of a tool the agent already has.</exception>
    public async ValueTask EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (AllLoaded)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(Agent));
            for (var i = _leases.Count; i < providers.Count; i++)
            {
                var lease = await providers[i].AcquireToolsAsync(cancellationToken).ConfigureAwait(false);
                await RegisterAsync(lease).ConfigureAwait(false);
                _leases.Add(lease);
                Volatile.Write(ref _loaded, _leases.Count);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Releases every lease (each once, even if one fails), then rethrows a failure.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        List<Exception>? errors = null;
        try
        {
            _disposed = true;
            foreach (var lease in _leases)
            {
                try
                {
                    await lease.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    (errors ??= []).Add(ex);
                }
            }

            _leases.Clear();
        }
        finally
        {
            _gate.Release();
        }

        if (errors is { Count: 1 })
        {
            ExceptionDispatchInfo.Throw(errors[0]);
        }

        if (errors is not null)
        {
            throw new AggregateException("Releasing the agent's tool providers failed.", errors);
        }
    }

    /// <summary>Registers a lease's tools all or none: a name clash unregisters the ones already added and releases the lease.</summary>
    private async ValueTask RegisterAsync(ToolProviderLease lease)
    {
        var registered = new List<string>(lease.Tools.Count);
        try
        {
            foreach (var tool in lease.Tools)
            {
                registry.Register(tool);
                registered.Add(tool.Name);
            }
        }
        catch
        {
            foreach (var name in registered)
            {
                registry.Unregister(name);
            }

            await lease.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
