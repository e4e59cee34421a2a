namespace Strands.Bedrock;

/// <summary>
/// The read-timeout timer of one wait for the service: the caller's token linked to a timer on the client's
/// <see cref="TimeProvider"/> (so tests can advance time). The timer runs only while a read is pending:
/// <see cref="Arm"/> gives the read the whole <see cref="BedrockClientOptions.ReadTimeout"/>, <see cref="Disarm"/> stops
/// it when the read returns, so time the caller spends between reads never counts. While the transport is opening a
/// connection for the request (<see cref="ConnectStarted"/> to <see cref="ConnectCompleted"/>) the timer is stopped too:
/// that phase is bounded by <see cref="BedrockClientOptions.ConnectTimeout"/>. Thread-safe: the transport reports
/// connection progress from its own threads, possibly after this object was disposed.
/// </summary>
internal sealed class ReadTimeout : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;
    private readonly Lock _lock = new();
    private bool _connecting;
    private bool _connectStarted;
    private bool _connected;
    private bool _disposed;

    /// <summary>Creates the timer, disarmed.</summary>
    /// <param name="timeout">The read timeout, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="timeProvider">The clock the timer runs on.</param>
    /// <param name="callerToken">The caller's token.</param>
    public ReadTimeout(TimeSpan timeout, TimeProvider timeProvider, CancellationToken callerToken)
    {
        Timeout = timeout;
        _timer = new CancellationTokenSource(System.Threading.Timeout.InfiniteTimeSpan, timeProvider);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(callerToken, _timer.Token);
    }

    /// <summary>The read timeout.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Cancelled by the caller or by the timer.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>True when the timer, not the caller, cancelled.</summary>
    public bool TimedOut => _timer.IsCancellationRequested;

    /// <summary>
    /// True when the transport started opening a connection for this request and it did not open: a timeout then is
    /// the connect timeout's.
    /// </summary>
    public bool Connecting
    {
        get
        {
            lock (_lock)
            {
                return _connectStarted && !_connected;
            }
        }
    }

    /// <summary>Starts (or restarts) the timer: the pending read has the whole timeout from now.</summary>
    public void Arm()
    {
        lock (_lock)
        {
            if (!_disposed && !_connecting && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
            {
                _timer.CancelAfter(Timeout);
            }
        }
    }

    /// <summary>Stops the timer (unless it already fired).</summary>
    public void Disarm()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _timer.CancelAfter(System.Threading.Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>The transport started opening a connection for this request: the read timer stops until it is open.</summary>
    public void ConnectStarted()
    {
        lock (_lock)
        {
            _connecting = true;
            _connectStarted = true;
            if (!_disposed)
            {
                _timer.CancelAfter(System.Threading.Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>The connection is open (TCP and TLS): waiting for the response is a read again, with the whole timeout.</summary>
    public void ConnectCompleted()
    {
        lock (_lock)
        {
            _connecting = false;
            _connected = true;
        }

        Arm();
    }

    /// <summary>
    /// Opening the connection failed. The request may still be served on another connection, so the wait is a read
    /// again; <see cref="Connecting"/> stays true, so that a connect timeout is reported as one.
    /// </summary>
    public void ConnectFailed()
    {
        lock (_lock)
        {
            _connecting = false;
        }

        Arm();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _linked.Dispose();
        _timer.Dispose();
    }
}
