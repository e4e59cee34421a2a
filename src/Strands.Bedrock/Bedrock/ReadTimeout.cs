namespace Strands.Bedrock;

/// <summary>
/// A token that fires when no data arrived for a while: the caller's token, linked to a timer on the client's
/// <see cref="TimeProvider"/> (so tests can advance time) that <see cref="Restart"/> rewinds after each read.
/// </summary>
internal sealed class ReadTimeout : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;
    private readonly TimeSpan _timeout;

    public ReadTimeout(TimeSpan timeout, TimeProvider timeProvider, CancellationToken callerToken)
    {
        _timeout = timeout;
        _timer = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(callerToken, _timer.Token);
        Restart();
    }

    /// <summary>Cancelled by the caller or by the timer.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>True when the timer, not the caller, cancelled.</summary>
    public bool TimedOut => _timer.IsCancellationRequested;

    /// <summary>Gives the next read the whole timeout again.</summary>
    public void Restart()
    {
        if (_timeout != Timeout.InfiniteTimeSpan)
        {
            _timer.CancelAfter(_timeout);
        }
    }

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }
}
