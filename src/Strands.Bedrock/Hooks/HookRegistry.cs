namespace Strands.Hooks;

/// <summary>
/// The callbacks of an agent, by event type. Callbacks run in registration order, except for "after" events
/// (<see cref="HookEvent.ReverseCallbackOrder"/>), which run in reverse. Dispatch is by the exact event type. An
/// exception a callback throws propagates to the agent. Registration is thread-safe.
/// </summary>
public sealed class HookRegistry
{
    private readonly Lock _lock = new();
    private Dictionary<Type, Registration[]> _callbacks = [];

    /// <summary>Registers a synchronous callback for <typeparamref name="TEvent"/>.</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <param name="callback">The callback.</param>
    public void AddCallback<TEvent>(Action<TEvent> callback)
        where TEvent : HookEvent
    {
        ArgumentNullException.ThrowIfNull(callback);
        Add(typeof(TEvent), new Registration(e => callback((TEvent)e), null));
    }

    /// <summary>Registers an asynchronous callback for <typeparamref name="TEvent"/>.</summary>
    /// <typeparam name="TEvent">The event type; not <see cref="AgentInitializedEvent"/>, which the constructor fires synchronously.</typeparam>
    /// <param name="callback">The callback; it receives the invocation's cancellation token.</param>
    /// <exception cref="ArgumentException"><typeparamref name="TEvent"/> is <see cref="AgentInitializedEvent"/>.</exception>
    public void AddCallback<TEvent>(Func<TEvent, CancellationToken, Task> callback)
        where TEvent : HookEvent
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (typeof(TEvent) == typeof(AgentInitializedEvent))
        {
            throw new ArgumentException("AgentInitializedEvent callbacks must be synchronous.", nameof(callback));
        }

        Add(typeof(TEvent), new Registration(null, (e, ct) => callback((TEvent)e, ct)));
    }

    /// <summary>Lets <paramref name="provider"/> register its callbacks.</summary>
    /// <param name="provider">The provider.</param>
    public void AddHook(IHookProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        provider.RegisterHooks(this);
    }

    /// <summary>True when at least one callback is registered for <typeparamref name="TEvent"/>.</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    public bool HasCallbacks<TEvent>()
        where TEvent : HookEvent
        => Volatile.Read(ref _callbacks).ContainsKey(typeof(TEvent));

    /// <summary>Runs the callbacks registered for the type of <paramref name="hookEvent"/>.</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <param name="hookEvent">The event.</param>
    /// <param name="cancellationToken">Passed to asynchronous callbacks.</param>
    /// <returns>The event, after every callback ran.</returns>
    public async Task<TEvent> InvokeAsync<TEvent>(TEvent hookEvent, CancellationToken cancellationToken = default)
        where TEvent : HookEvent
    {
        ArgumentNullException.ThrowIfNull(hookEvent);
        if (!Volatile.Read(ref _callbacks).TryGetValue(hookEvent.GetType(), out var registrations))
        {
            return hookEvent;
        }

        var reverse = hookEvent.ReverseCallbackOrder;
        for (var i = 0; i < registrations.Length; i++)
        {
            var registration = registrations[reverse ? registrations.Length - 1 - i : i];
            if (registration.Sync is { } sync)
            {
                sync(hookEvent);
            }
            else
            {
                await registration.Async!(hookEvent, cancellationToken).ConfigureAwait(false);
            }
        }

        return hookEvent;
    }

    /// <summary>Runs the callbacks of an event that only synchronous callbacks may handle.</summary>
    internal void Invoke(HookEvent hookEvent)
    {
        if (!Volatile.Read(ref _callbacks).TryGetValue(hookEvent.GetType(), out var registrations))
        {
            return;
        }

        var reverse = hookEvent.ReverseCallbackOrder;
        for (var i = 0; i < registrations.Length; i++)
        {
            var registration = registrations[reverse ? registrations.Length - 1 - i : i];
            registration.Sync!(hookEvent);
        }
    }

    private void Add(Type eventType, Registration registration)
    {
        lock (_lock)
        {
            var copy = new Dictionary<Type, Registration[]>(_callbacks);
            copy[eventType] = copy.TryGetValue(eventType, out var existing) ? [.. existing, registration] : [registration];
            Volatile.Write(ref _callbacks, copy);
        }
    }

    private sealed record Registration(Action<HookEvent>? Sync, Func<HookEvent, CancellationToken, Task>? Async);
}
