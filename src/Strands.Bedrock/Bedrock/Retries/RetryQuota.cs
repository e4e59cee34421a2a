namespace Strands.Bedrock;

/// <summary>
/// The retry quota of AWS standard mode, one per client: a bucket of <see cref="InitialCapacity"/> tokens that every
/// retry draws on (<see cref="RetryCost"/>, or <see cref="TimeoutRetryCost"/> after a timeout) and every success pays
/// back (the cost of the call's last retry, or <see cref="NoRetryIncrement"/> for a call that needed none), never
/// above the initial capacity. When the bucket cannot pay for a retry the error is returned at once, so a client facing
/// an outage stops multiplying its traffic: at most 100 retries in a row before successes refill it. Thread-safe.
/// </summary>
internal sealed class RetryQuota
{
    /// <summary>The tokens a new client starts with, and the most it can hold.</summary>
    public const int InitialCapacity = 500;

    /// <summary>The tokens one retry after an error response or a connection failure costs.</summary>
    public const int RetryCost = 5;

    /// <summary>The tokens one retry after a connect or read timeout costs.</summary>
    public const int TimeoutRetryCost = 10;

    /// <summary>The tokens a call that succeeded at its first attempt pays back.</summary>
    public const int NoRetryIncrement = 1;

    private readonly Lock _lock = new();
    private int _available = InitialCapacity;

    /// <summary>The tokens left.</summary>
    public int Available
    {
        get
        {
            lock (_lock)
            {
                return _available;
            }
        }
    }

    /// <summary>Takes the cost of a retry, if the bucket holds it.</summary>
    /// <param name="amount">The cost.</param>
    /// <returns>True when the retry may go ahead.</returns>
    public bool TryAcquire(int amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        lock (_lock)
        {
            if (amount > _available)
            {
                return false;
            }

            _available -= amount;
            return true;
        }
    }

    /// <summary>Pays tokens back after a success, up to <see cref="InitialCapacity"/>.</summary>
    /// <param name="amount">The amount.</param>
    public void Release(int amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        lock (_lock)
        {
            _available = Math.Min(InitialCapacity, _available + amount);
        }
    }
}
