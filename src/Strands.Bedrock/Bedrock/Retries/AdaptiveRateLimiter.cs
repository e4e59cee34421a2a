namespace Strands.Bedrock;

/// <summary>
/// The client-side rate limiter of AWS adaptive retry mode, one per client. Until the first throttling response it
/// does nothing. From then on every attempt first takes a token from a bucket whose fill rate follows the CUBIC
/// congestion-control curve: a throttling response cuts the allowed rate to <see cref="Beta"/> (70 %) of the rate the
/// client was sending at, and each other response lets it grow back along
/// <c>rate(t) = <see cref="ScaleConstant"/> × (t − k)³ + W_max</c>, where <c>W_max</c> is the rate at the last throttle
/// and <c>k = ∛(W_max × (1 − β) / C)</c> the time it takes to get back there; the rate never exceeds twice the measured
/// send rate, nor falls below <see cref="MinFillRate"/> requests per second. The send rate is measured in half-second
/// buckets, smoothed exponentially (<see cref="Smoothing"/>). All timing is on the client's <see cref="TimeProvider"/>.
/// Thread-safe.
/// </summary>
internal sealed class AdaptiveRateLimiter
{
    /// <summary>The share of the send rate kept after a throttling response (CUBIC β).</summary>
    public const double Beta = 0.7;

    /// <summary>The CUBIC scaling constant C.</summary>
    public const double ScaleConstant = 0.4;

    /// <summary>The weight of the newest half-second bucket in the measured send rate.</summary>
    public const double Smoothing = 0.8;

    /// <summary>The width of a send-rate measurement bucket, in seconds.</summary>
    public const double BucketSeconds = 0.5;

    /// <summary>The lowest fill rate of the token bucket, in requests per second.</summary>
    public const double MinFillRate = 0.5;

    /// <summary>The allowed rate is at most this multiple of the measured send rate.</summary>
    public const double MaxRateAdjustScale = 2.0;

    // Floating-point slack when comparing token counts.
    private const double Epsilon = 1e-9;

    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly Lock _lock = new();
    private bool _enabled;

    // Token bucket.
    private double _fillRate;
    private double _maxCapacity;
    private double _capacity;
    private double? _lastRefill;

    // Send-rate meter.
    private double _measuredRate;
    private double _lastBucket;
    private int _count;

    // CUBIC.
    private double _wMax;
    private double _k;
    private double _lastThrottle;

    /// <summary>Creates the limiter, inactive until the first throttling response.</summary>
    /// <param name="time">The clock.</param>
    public AdaptiveRateLimiter(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _origin = time.GetTimestamp();
        var now = Now();
        _lastBucket = Math.Floor(now);
        _lastThrottle = now;
        _wMax = 0;
        _k = ZeroPoint(_wMax);
        SetMaxRate(1, now);
    }

    /// <summary>Whether a throttling response has been seen, so that sending is rate limited.</summary>
    public bool Enabled
    {
        get
        {
            lock (_lock)
            {
                return _enabled;
            }
        }
    }

    /// <summary>The requests per second the bucket currently allows.</summary>
    public double FillRate
    {
        get
        {
            lock (_lock)
            {
                return _fillRate;
            }
        }
    }

    /// <summary>The smoothed rate at which responses arrived, in requests per second.</summary>
    public double MeasuredRate
    {
        get
        {
            lock (_lock)
            {
                return _measuredRate;
            }
        }
    }

    /// <summary>Waits until the bucket holds a token for the next attempt, and takes it. Returns at once while inactive.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>How long the attempt was held back.</returns>
    public async ValueTask<TimeSpan> AcquireAsync(CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                if (!_enabled)
                {
                    return waited;
                }

                Refill(Now());
                if (_capacity >= 1 - Epsilon)
                {
                    _capacity = Math.Max(0, _capacity - 1);
                    return waited;
                }

                // Rounded up, and at least a millisecond: a wait rounded down would leave the bucket a hair short, again and again.
                wait = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (long)Math.Ceiling((1 - _capacity) / _fillRate * TimeSpan.TicksPerSecond)));
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            waited += wait;
        }
    }

    /// <summary>Records the outcome of an attempt: any response or failure, throttling or not.</summary>
    /// <param name="throttled">Whether the service throttled the attempt.</param>
    public void RecordResponse(bool throttled)
    {
        lock (_lock)
        {
            var now = Now();
            var measured = MeasureSend(now);
            double newRate;
            if (throttled)
            {
                var rateToUse = _enabled ? Math.Min(measured, _fillRate) : measured;
                _wMax = rateToUse;
                _k = ZeroPoint(_wMax);
                _lastThrottle = now;
                newRate = rateToUse * Beta;
                _enabled = true;
            }
            else
            {
                newRate = (ScaleConstant * Math.Pow(now - _lastThrottle - _k, 3)) + _wMax;
            }

            SetMaxRate(Math.Min(newRate, MaxRateAdjustScale * measured), now);
        }
    }

    private static double ZeroPoint(double wMax) => Math.Cbrt(wMax * (1 - Beta) / ScaleConstant);

    // Seconds since the limiter was made: relative, so that a double keeps sub-microsecond precision.
    private double Now() => (_time.GetTimestamp() - _origin) / (double)_time.TimestampFrequency;

    private double MeasureSend(double now)
    {
        var bucket = Math.Floor(now / BucketSeconds) * BucketSeconds;
        _count++;
        if (bucket > _lastBucket)
        {
            var current = _count / (bucket - _lastBucket);
            _measuredRate = (current * Smoothing) + (_measuredRate * (1 - Smoothing));
            _count = 0;
            _lastBucket = bucket;
        }

        return _measuredRate;
    }

    private void SetMaxRate(double rate, double now)
    {
        // Tokens earned at the old rate are credited before the rate changes.
        Refill(now);
        _fillRate = Math.Max(rate, MinFillRate);
        _maxCapacity = Math.Max(rate, 1);
        _capacity = Math.Min(_capacity, _maxCapacity);
    }

    private void Refill(double now)
    {
        if (_lastRefill is not { } last)
        {
            _lastRefill = now;
            return;
        }

        _capacity = Math.Min(_maxCapacity, _capacity + ((now - last) * _fillRate));
        _lastRefill = now;
    }
}
