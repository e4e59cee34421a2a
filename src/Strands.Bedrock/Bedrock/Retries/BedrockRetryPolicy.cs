using System.Net;
using System.Net.Http;

namespace Strands.Bedrock;

/// <summary>
/// The retry policy of one client, AWS standard or adaptive mode: which failures to retry, how long to wait in between
/// (exponential back-off with full jitter, at most <see cref="MaxBackoff"/>), the retry quota that stops a client from
/// multiplying its traffic during an outage (<see cref="Quota"/>), and in adaptive mode the client-side rate limiter
/// (<see cref="RateLimiter"/>). The client calls it around every attempt; each attempt is a new, freshly signed request.
/// A ConverseStream call may be retried only until its response headers arrived; errors inside the stream are never
/// retried.
/// </summary>
/// <remarks>
/// <para>Retried: <see cref="ThrottlingException"/>, <see cref="ModelNotReadyException"/> (<c>@retryable</c> in the
/// service model), <see cref="ServiceUnavailableException"/>, <see cref="InternalServerException"/>, any error with
/// HTTP 429, 500, 502, 503 or 504 or with one of AWS standard mode's throttling/transient codes (see
/// <see cref="BedrockRuntimeException.IsRetryable"/>), and transport failures: <see cref="HttpRequestException"/>
/// (except TLS, proxy-authentication and configuration failures, which repeat), <see cref="IOException"/>, and
/// timeouts (<see cref="ConnectTimeoutException"/>, <see cref="ReadTimeoutException"/>, any <see cref="TimeoutException"/>,
/// or an <see cref="OperationCanceledException"/> caused by one).</para>
/// <para>Not retried: <see cref="ValidationException"/>, <see cref="AccessDeniedException"/>,
/// <see cref="ResourceNotFoundException"/>, <see cref="ModelErrorException"/>, <see cref="ModelStreamErrorException"/>,
/// <see cref="ServiceQuotaExceededException"/>, <see cref="MalformedResponseException"/>, and
/// <see cref="ModelTimeoutException"/>: the service model does not mark it <c>@retryable</c>, AWS standard mode does not
/// count HTTP 408 as transient (neither botocore nor the JS SDK retry it), and each attempt would again wait for the
/// model's full timeout. Never retried: caller cancellation.</para>
/// <para>Back-off: the delay before attempt <c>n + 1</c> is uniformly random in
/// <c>[0, min(<see cref="MaxBackoff"/>, base × 2^(n−1))]</c>, with base <see cref="TransientBaseDelay"/> (100 ms) and
/// <see cref="ThrottlingBaseDelay"/> (500 ms) for throttling errors, as the JS SDK v3 standard strategy does (its
/// recorded run in the wire fixtures waited 1172 ms over two throttling retries, which only the 500 ms base allows).
/// A server hint (<see cref="BedrockRuntimeException.RetryAfter"/>) lengthens the delay up to <see cref="MaxRetryAfter"/>.</para>
/// <para>Retry quota (both modes): see <see cref="RetryQuota"/>. A retry that the quota cannot pay for is not made.</para>
/// </remarks>
internal sealed class BedrockRetryPolicy
{
    /// <summary>The longest back-off between two attempts (AWS standard mode: 20 seconds).</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(20);

    /// <summary>The longest wait a server's <c>Retry-After</c> hint can impose.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(20);

    /// <summary>The back-off base for transient errors and transport failures.</summary>
    public static readonly TimeSpan TransientBaseDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The back-off base for throttling errors.</summary>
    public static readonly TimeSpan ThrottlingBaseDelay = TimeSpan.FromMilliseconds(500);

    private readonly TimeProvider _time;
    private readonly Random? _jitter;
    private readonly Lock _jitterLock = new();

    /// <summary>Creates the policy.</summary>
    /// <param name="maxAttempts">Attempts per call including the first (<see cref="BedrockClientOptions.MaxAttempts"/>).</param>
    /// <param name="time">The clock that delays and the rate limiter run on.</param>
    /// <param name="jitter">The random source of the jitter (tests pass a seeded one); default <see cref="Random.Shared"/>.</param>
    /// <param name="mode">Standard, or adaptive (adds the client-side rate limiter).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxAttempts"/> is less than 1.</exception>
    public BedrockRetryPolicy(int maxAttempts, TimeProvider time, Random? jitter = null, RetryMode mode = RetryMode.Standard)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (maxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAttempts), maxAttempts, "BedrockClientOptions.MaxAttempts must be at least 1 (1 disables retries).");
        }

        MaxAttempts = maxAttempts;
        Mode = mode;
        _time = time;
        _jitter = jitter;
        RateLimiter = mode == RetryMode.Adaptive ? new AdaptiveRateLimiter(time) : null;
    }

    /// <summary>Attempts per call including the first.</summary>
    public int MaxAttempts { get; }

    /// <summary>The retry mode.</summary>
    public RetryMode Mode { get; }

    /// <summary>The client's retry quota.</summary>
    public RetryQuota Quota { get; } = new();

    /// <summary>The client-side rate limiter in adaptive mode; null in standard mode.</summary>
    public AdaptiveRateLimiter? RateLimiter { get; }

    /// <summary>Before each attempt: in adaptive mode, waits until the rate limiter lets the attempt go.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>How long the attempt was held back.</returns>
    public ValueTask<TimeSpan> BeforeAttemptAsync(CancellationToken cancellationToken) =>
        RateLimiter?.AcquireAsync(cancellationToken) ?? ValueTask.FromResult(TimeSpan.Zero);

    /// <summary>After each attempt, whatever its outcome: feeds the rate limiter in adaptive mode.</summary>
    /// <param name="error">The service error of the attempt, if it got one.</param>
    public void RecordAttempt(BedrockRuntimeException? error) =>
        RateLimiter?.RecordResponse(error is not null && IsThrottling(error));

    /// <summary>After a success: pays the quota back the cost of the call's last retry, or 1 token if it needed none.</summary>
    /// <param name="lastRetryCost">What the call's last retry cost, or null when it made none.</param>
    public void RecordSuccess(int? lastRetryCost) => Quota.Release(lastRetryCost ?? RetryQuota.NoRetryIncrement);

    /// <summary>Takes the cost of a retry from the quota.</summary>
    /// <param name="transportError">The exception the attempt failed with before any response, if it did: timeouts cost more.</param>
    /// <param name="cost">What the retry cost (or would have cost).</param>
    /// <returns>True when the quota paid for the retry.</returns>
    public bool TryAcquireRetry(Exception? transportError, out int cost)
    {
        cost = transportError is not null && IsTimeout(transportError) ? RetryQuota.TimeoutRetryCost : RetryQuota.RetryCost;
        return Quota.TryAcquire(cost);
    }

    /// <summary>Whether a transport failure is a connect or read timeout.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>True for timeouts.</returns>
    public static bool IsTimeout(Exception exception) =>
        exception is TimeoutException || exception.InnerException is TimeoutException;

    /// <summary>Whether to make another attempt after attempt <paramref name="attempt"/> failed.</summary>
    /// <param name="attempt">The 1-based number of the attempt that just failed.</param>
    /// <param name="error">The service error it failed with, if it got an error response.</param>
    /// <param name="transportError">The exception it failed with before any response, if it did.</param>
    /// <param name="cancellationToken">The caller's token: once cancelled, nothing is retried.</param>
    /// <returns>True to retry.</returns>
    public bool ShouldRetry(int attempt, BedrockRuntimeException? error, Exception? transportError, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        if (attempt >= MaxAttempts || cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        if (error is not null)
        {
            return IsRetryable(error);
        }

        return transportError is not null && IsRetryableTransportError(transportError);
    }

    /// <summary>Whether a service error is worth another attempt.</summary>
    /// <param name="error">The error.</param>
    /// <returns>True when it is retryable.</returns>
    public static bool IsRetryable(BedrockRuntimeException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.IsRetryable || error.StatusCode == HttpStatusCode.TooManyRequests;
    }

    /// <summary>Whether a failure before any response byte is worth another attempt.</summary>
    /// <param name="exception">The exception the send failed with.</param>
    /// <returns>True when it is retryable.</returns>
    public static bool IsRetryableTransportError(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            BedrockRuntimeException error => IsRetryable(error),
            BedrockCredentialsException => false,
            HttpRequestException http => http.HttpRequestError is not (HttpRequestError.SecureConnectionError
                or HttpRequestError.UserAuthenticationError or HttpRequestError.ProxyTunnelError
                or HttpRequestError.ConfigurationLimitExceeded or HttpRequestError.VersionNegotiationError
                or HttpRequestError.ExtendedConnectNotSupported),
            IOException or TimeoutException => true,

            // SocketsHttpHandler's ConnectTimeout and HttpClient.Timeout surface as a cancellation caused by a TimeoutException;
            // a cancellation without one is the caller's.
            OperationCanceledException oce => oce.InnerException is TimeoutException,
            _ => false,
        };
    }

    /// <summary>
    /// The delay before the attempt after <paramref name="attempt"/>: full jitter in
    /// <c>[0, min(<see cref="MaxBackoff"/>, base × 2^(attempt−1))]</c>, at least the server's hint (capped at <see cref="MaxRetryAfter"/>).
    /// </summary>
    /// <param name="attempt">The 1-based number of the attempt that just failed.</param>
    /// <param name="error">The error it failed with, if any: throttling errors use <see cref="ThrottlingBaseDelay"/>.</param>
    /// <returns>The delay.</returns>
    public TimeSpan GetDelay(int attempt, BedrockRuntimeException? error = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var baseDelay = error is not null && IsThrottling(error) ? ThrottlingBaseDelay : TransientBaseDelay;
        var exponent = Math.Min(attempt - 1, 30);
        var ceilingTicks = Math.Min(MaxBackoff.Ticks, baseDelay.Ticks * (1L << exponent));
        var delay = TimeSpan.FromTicks((long)(NextDouble() * ceilingTicks));

        if (error?.RetryAfter is { } hint && hint > delay)
        {
            delay = hint < MaxRetryAfter ? hint : MaxRetryAfter;
        }

        return delay;
    }

    /// <summary>Waits <paramref name="delay"/> on the policy's clock.</summary>
    /// <param name="delay">The delay from <see cref="GetDelay"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes after the delay.</returns>
    public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero
            ? (cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask)
            : Task.Delay(delay, _time, cancellationToken);

    /// <summary>Whether an error is a throttling error (slower back-off).</summary>
    /// <param name="error">The error.</param>
    /// <returns>True for throttling.</returns>
    public static bool IsThrottling(BedrockRuntimeException error) =>
        error is ThrottlingException or ModelNotReadyException
        || error.StatusCode == HttpStatusCode.TooManyRequests
        || BedrockErrorCodes.IsThrottlingCode(error.ErrorCode);

    private double NextDouble()
    {
        if (_jitter is null)
        {
            return Random.Shared.NextDouble();
        }

        lock (_jitterLock)
        {
            return _jitter.NextDouble();
        }
    }
}
