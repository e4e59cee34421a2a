using System.Runtime.CompilerServices;
using Strands.Hooks;
using Strands.Models;

namespace Strands.Agents;

/// <summary>
/// Retries model calls that fail with <see cref="ModelThrottledException"/>, with exponential back-off: attempt
/// <c>k</c> (from 0) waits <c>min(initialDelay × 2^k, maxDelay)</c>. The defaults (6 attempts, 4 s, 240 s) wait 4, 8,
/// 16, 32 and 64 seconds, then let the exception through. Other exceptions are never retried. The attempt count
/// resets after a success and after each invocation, and is kept per agent. A hook on <see cref="AfterModelCallEvent"/>;
/// if a hook registered later already asked for a retry, the strategy does nothing.
/// </summary>
public sealed class ModelRetryStrategy : IHookProvider
{
    private readonly ConditionalWeakTable<Agent, StrongBox<int>> _attempts = [];
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the strategy.</summary>
    /// <param name="maxAttempts">The most model calls per request, the first included; 1 disables retries.</param>
    /// <param name="initialDelay">The first back-off; 4 seconds when null.</param>
    /// <param name="maxDelay">The longest back-off; 240 seconds when null.</param>
    /// <param name="timeProvider">The clock the back-off waits on; the system clock when null.</param>
    public ModelRetryStrategy(int maxAttempts = 6, TimeSpan? initialDelay = null, TimeSpan? maxDelay = null, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        InitialDelay = initialDelay ?? TimeSpan.FromSeconds(4);
        MaxDelay = maxDelay ?? TimeSpan.FromSeconds(240);
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialDelay, TimeSpan.Zero, nameof(initialDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelay, InitialDelay, nameof(maxDelay));
        MaxAttempts = maxAttempts;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>A strategy that never retries.</summary>
    public static ModelRetryStrategy None => new(maxAttempts: 1);

    /// <summary>The most model calls per request, the first included.</summary>
    public int MaxAttempts { get; }

    /// <summary>The first back-off.</summary>
    public TimeSpan InitialDelay { get; }

    /// <summary>The longest back-off.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>The back-off before retry number <paramref name="attempt"/> + 1: <c>min(InitialDelay × 2^attempt, MaxDelay)</c>.</summary>
    /// <param name="attempt">The attempt index, from 0.</param>
    /// <returns>The back-off.</returns>
    public TimeSpan GetDelay(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var ticks = InitialDelay.Ticks * Math.Pow(2, attempt);
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <inheritdoc />
    public void RegisterHooks(HookRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddCallback<AfterModelCallEvent>(OnAfterModelCallAsync);
        registry.AddCallback<AfterInvocationEvent>(e => Counter(e.Agent).Value = 0);
    }

    private async Task OnAfterModelCallAsync(AfterModelCallEvent e, CancellationToken cancellationToken)
    {
        if (e.Retry)
        {
            return;
        }

        var counter = Counter(e.Agent);
        if (e.Exception is null)
        {
            counter.Value = 0;
            return;
        }

        if (e.Exception is not ModelThrottledException)
        {
            return;
        }

        var attempt = counter.Value++;
        if (counter.Value >= MaxAttempts)
        {
            return;
        }

        var delay = GetDelay(attempt);
        await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
        e.ThrottleDelay = delay;
        e.Retry = true;
    }

    private StrongBox<int> Counter(Agent agent) => _attempts.GetValue(agent, static _ => new StrongBox<int>());
}
