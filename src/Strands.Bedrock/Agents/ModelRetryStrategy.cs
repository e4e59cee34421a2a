using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Strands.Bedrock;
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
/// <remarks>
/// These retries stack on the client's: each model call the strategy repeats is a new <c>BedrockRuntimeClient</c> call,
/// which makes up to <c>BedrockClientOptions.MaxAttempts</c> requests of its own. With the defaults a persistent
/// throttling error costs 6 × 3 = 18 requests and about 130 s of waiting (4 + 8 + 16 + 32 + 64 s here, plus the client's
/// short back-off). With a logger, each retry and the final give-up are logged with the requests made so far.
/// </remarks>
public sealed partial class ModelRetryStrategy : IHookProvider
{
    private readonly ConditionalWeakTable<Agent, Attempts> _attempts = [];
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the strategy.</summary>
    /// <param name="maxAttempts">The most model calls per request, the first included; 1 disables retries.</param>
    /// <param name="initialDelay">The first back-off; 4 seconds when null.</param>
    /// <param name="maxDelay">The longest back-off; 240 seconds when null.</param>
    /// <param name="timeProvider">The clock the back-off waits on; the system clock when null.</param>
    /// <param name="loggerFactory">Where each retry is logged, with the requests made to the model so far; nowhere when null.</param>
    public ModelRetryStrategy(int maxAttempts = 6, TimeSpan? initialDelay = null, TimeSpan? maxDelay = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        InitialDelay = initialDelay ?? TimeSpan.FromSeconds(4);
        MaxDelay = maxDelay ?? TimeSpan.FromSeconds(240);
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialDelay, TimeSpan.Zero, nameof(initialDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelay, InitialDelay, nameof(maxDelay));
        MaxAttempts = maxAttempts;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ModelRetryStrategy>();
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
        registry.AddCallback<AfterInvocationEvent>(e => Counter(e.Agent).Reset());
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
            counter.Reset();
            return;
        }

        if (e.Exception is not ModelThrottledException throttled)
        {
            return;
        }

        // A BedrockModel's throttling error says how many requests its client made for the call.
        var attempt = counter.Calls++;
        counter.Requests += throttled.InnerException is BedrockRuntimeException { Attempts: > 0 } error ? error.Attempts : 1;
        if (counter.Calls >= MaxAttempts)
        {
            Log.GaveUp(_logger, counter.Calls, counter.Requests);
            return;
        }

        var delay = GetDelay(attempt);
        Log.Retrying(_logger, counter.Calls, MaxAttempts, counter.Requests, delay);
        await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
        e.ThrottleDelay = delay;
        e.Retry = true;
    }

    private Attempts Counter(Agent agent) => _attempts.GetValue(agent, static _ => new Attempts());

    /// <summary>The model calls of the current request, and the requests they sent (client retries included).</summary>
    private sealed class Attempts
    {
        public int Calls { get; set; }

        public int Requests { get; set; }

        public void Reset() => Calls = Requests = 0;
    }

    private static partial class Log
    {
        [LoggerMessage(401, LogLevel.Warning, "Model call {Call} of at most {MaxCalls} was throttled ({Requests} requests to the model so far, client retries included); calling again in {Delay}")]
        public static partial void Retrying(ILogger logger, int call, int maxCalls, int requests, TimeSpan delay);

        [LoggerMessage(402, LogLevel.Warning, "Model call still throttled after {Calls} calls and {Requests} requests to the model in all; giving up")]
        public static partial void GaveUp(ILogger logger, int calls, int requests);
    }
}
