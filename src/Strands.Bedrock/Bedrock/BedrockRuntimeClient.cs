using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Strands.Bedrock.EventStream;
using Strands.Bedrock.Json;
using Strands.Content;

namespace Strands.Bedrock;

/// <summary>
/// The Bedrock Runtime client: Converse and ConverseStream over HTTP, signed with SigV4 (AWSSDK.Core) or a Bedrock
/// API key, with AWS standard or adaptive retries. Thread-safe: share one instance across concurrent calls (the retry
/// quota and the adaptive rate limiter are per client).
/// </summary>
/// <remarks>
/// The exceptions a call can end with: <see cref="BedrockRuntimeException"/> and its subclasses (service errors, and
/// <see cref="MalformedResponseException"/> for a response that cannot be decoded);
/// <see cref="EventStream.EventStreamException"/> (a corrupt or truncated event stream); <see cref="ConnectTimeoutException"/>
/// and <see cref="ReadTimeoutException"/> (or another <see cref="TimeoutException"/> from a caller's HTTP stack);
/// <see cref="HttpRequestException"/> and <see cref="IOException"/> (the connection failed or broke);
/// <see cref="BedrockCredentialsException"/> (no credentials); <see cref="OperationCanceledException"/> (the caller's token);
/// <see cref="ArgumentException"/> (an invalid request).
/// </remarks>
public sealed partial class BedrockRuntimeClient : IBedrockRuntimeClient, IDisposable
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly HttpMessageInvoker _http;
    private readonly BedrockRetryPolicy _retryPolicy;
    private readonly TimeSpan _readTimeout;
    private readonly TimeSpan _connectTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly string _userAgent;
    private readonly ILogger _logger;

    /// <summary>Creates a client; every unset option is resolved as the AWS SDKs resolve it.</summary>
    /// <param name="options">The options, or null for the defaults.</param>
    /// <exception cref="ArgumentException">An option is invalid, or the endpoint is plain http to a host that is not loopback (the message names the option).</exception>
    /// <exception cref="InvalidOperationException">An AWS environment variable (endpoint, retries, API key) holds an invalid value.</exception>
    /// <exception cref="BedrockCredentialsException">The named profile does not exist or has no credentials.</exception>
    public BedrockRuntimeClient(BedrockClientOptions? options = null)
        : this(options ?? new BedrockClientOptions(), Environment.GetEnvironmentVariable)
    {
    }

    internal BedrockRuntimeClient(BedrockClientOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ReadTimeout <= TimeSpan.Zero && options.ReadTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ReadTimeout, "BedrockClientOptions.ReadTimeout must be positive.");
        }

        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        Options = options;
        Region = BedrockRegionResolver.Resolve(options, environment);
        Endpoint = BedrockEndpointResolver.Resolve(options, Region, environment);
        var retries = BedrockRetrySettings.Resolve(options, environment);
        MaxAttempts = retries.MaxAttempts;
        RetryMode = retries.Mode;
        _readTimeout = options.ReadTimeout;
        _connectTimeout = options.ConnectTimeout;
        _timeProvider = options.TimeProvider;
        _retryPolicy = new BedrockRetryPolicy(retries.MaxAttempts, options.TimeProvider, mode: retries.Mode);
        _userAgent = BedrockUserAgent.Build(options.UserAgentSuffix);
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<BedrockRuntimeClient>();

        // Authentication is part of the handler chain and retries happen here, above it, so every attempt is a new
        // request that is signed afresh. HttpMessageInvoker (not HttpClient) because a caller's HttpClient may sit
        // at the bottom of the chain, and an HttpClient refuses a request another one has sent.
        _http = new HttpMessageInvoker(BedrockHandlerChain.Build(options, Region, environment), disposeHandler: true);
    }

    /// <summary>The options the client was created with.</summary>
    public BedrockClientOptions Options { get; }

    /// <summary>The resolved AWS region (also the SigV4 signing region).</summary>
    public string Region { get; }

    /// <summary>The resolved endpoint, e.g. <c>https://bedrock-runtime.us-west-2.amazonaws.com</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>
    /// The resolved attempts per call, the first included: <see cref="BedrockClientOptions.MaxAttempts"/>, else
    /// <c>AWS_MAX_ATTEMPTS</c>, else the profile's <c>max_attempts</c>, else 3.
    /// </summary>
    public int MaxAttempts { get; }

    /// <summary>
    /// The resolved retry mode: <see cref="BedrockClientOptions.RetryMode"/>, else <c>AWS_RETRY_MODE</c>, else the
    /// profile's <c>retry_mode</c>, else <see cref="Bedrock.RetryMode.Standard"/>.
    /// </summary>
    public RetryMode RetryMode { get; }

    /// <summary>The client's retry policy, with its retry quota and, in adaptive mode, its rate limiter.</summary>
    internal BedrockRetryPolicy RetryPolicy => _retryPolicy;

    /// <inheritdoc />
    public async Task<ConverseResponse> ConverseAsync(ConverseRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = Serialize(request, static () => BedrockJsonContext.Default.ConverseRequest);
        var (response, attempts) = await SendWithRetriesAsync(request.ModelId, stream: false, body, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            using var timeout = CreateReadTimeout(cancellationToken);
            MemoryStream bytes;
            try
            {
                bytes = await ReadBodyAsync(response.Content, timeout).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (timeout.TimedOut && !cancellationToken.IsCancellationRequested)
            {
                throw ReadTimedOut("the Converse response body", ex);
            }

            try
            {
                var parsed = PayloadDecoder.Decode(bytes.GetBuffer().AsSpan(0, (int)bytes.Length), BedrockJsonContext.Default.ConverseResponse, eventType: null, frameOffset: null);
                return parsed with { RequestId = GetRequestId(response) };
            }
            catch (BedrockRuntimeException ex)
            {
                ex.Attempts = attempts;
                throw;
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StreamEvent> ConverseStreamAsync(ConverseStreamRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = Serialize(request, static () => BedrockJsonContext.Default.ConverseStreamRequest);
        var (response, attempts) = await SendWithRetriesAsync(request.ModelId, stream: true, body, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            using var timeout = CreateReadTimeout(cancellationToken);
            var content = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);

            // Every read of the body, not every frame, gets the whole read timeout: a large frame may arrive slowly.
            var reader = new EventStreamReader(new ReadTimeoutStream(content, timeout), leaveOpen: false);
            var events = 0;
            await using (reader.ConfigureAwait(false))
            {
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await reader.ReadNextAsync(timeout.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException ex) when (timeout.TimedOut && !cancellationToken.IsCancellationRequested)
                    {
                        throw ReadTimedOut("the ConverseStream response body", ex);
                    }

                    if (!more)
                    {
                        break;
                    }

                    StreamEvent? streamEvent;
                    try
                    {
                        streamEvent = DecodeFrame(reader);
                    }
                    catch (BedrockRuntimeException ex)
                    {
                        ex.Attempts = attempts;
                        throw;
                    }

                    if (streamEvent is not null)
                    {
                        events++;
                        yield return streamEvent;
                    }
                }
            }

            Log.StreamCompleted(_logger, request.ModelId, events);
        }
    }

    /// <summary>Turns one frame into an event, throws the error it carries, or skips an event type this version does not know.</summary>
    /// <exception cref="MalformedResponseException">The payload of a known event cannot be decoded.</exception>
    /// <exception cref="BedrockRuntimeException">The frame is an exception or error frame.</exception>
    internal StreamEvent? DecodeFrame(EventStreamReader reader)
    {
        var payload = reader.Payload.Span;
        var offset = reader.FrameOffset;
        switch (reader.MessageType)
        {
            case "event":
                switch (reader.EventType)
                {
                    case ContentBlockDeltaEvent.Name: return PayloadDecoder.DecodeDelta(payload, offset);
                    case ContentBlockStartEvent.Name: return PayloadDecoder.DecodeEvent(payload, static () => BedrockJsonContext.Default.ContentBlockStartEvent, ContentBlockStartEvent.Name, offset);
                    case ContentBlockStopEvent.Name: return PayloadDecoder.DecodeEvent(payload, static () => BedrockJsonContext.Default.ContentBlockStopEvent, ContentBlockStopEvent.Name, offset);
                    case MessageStartEvent.Name: return PayloadDecoder.DecodeEvent(payload, static () => BedrockJsonContext.Default.MessageStartEvent, MessageStartEvent.Name, offset);
                    case MessageStopEvent.Name: return PayloadDecoder.DecodeEvent(payload, static () => BedrockJsonContext.Default.MessageStopEvent, MessageStopEvent.Name, offset);
                    case MetadataEvent.Name: return PayloadDecoder.DecodeEvent(payload, static () => BedrockJsonContext.Default.MetadataEvent, MetadataEvent.Name, offset);
                    default:
                        Log.UnknownEventSkipped(_logger, reader.EventType ?? "(none)");
                        return null;
                }

            case "exception":
                throw BedrockErrorMapper.FromExceptionFrame(reader.ExceptionType ?? "", payload);
            case "error":
                throw BedrockErrorMapper.FromErrorFrame(reader.ErrorCode, reader.ErrorMessage);
            default:
                Log.UnknownMessageTypeSkipped(_logger, reader.MessageType ?? "(none)");
                return null;
        }
    }

    /// <summary>
    /// Sends until a 2xx response arrives, retrying what the retry policy retries while its quota lasts. Throws the
    /// mapped error otherwise. Returns the response and the number of attempts it took.
    /// </summary>
    private async Task<(HttpResponseMessage Response, int Attempts)> SendWithRetriesAsync(string modelId, bool stream, byte[] body, CancellationToken cancellationToken)
    {
        var uri = BedrockEndpointResolver.BuildRequestUri(Endpoint, modelId, stream);
        var operation = stream ? "ConverseStream" : "Converse";
        var invocationId = Guid.NewGuid().ToString();
        int? lastRetryCost = null;
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var heldBack = await _retryPolicy.BeforeAttemptAsync(cancellationToken).ConfigureAwait(false);
            if (heldBack > TimeSpan.Zero)
            {
                Log.RateLimited(_logger, attempt, heldBack.TotalMilliseconds, _retryPolicy.RateLimiter?.FillRate ?? 0);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = JsonContentType;
            request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
            request.Headers.TryAddWithoutValidation("amz-sdk-invocation-id", invocationId);
            request.Headers.TryAddWithoutValidation("amz-sdk-request", $"attempt={attempt}; max={MaxAttempts}");

            Log.Sending(_logger, operation, modelId, attempt, MaxAttempts);
            HttpResponseMessage response;
            using (var timeout = CreateReadTimeout(cancellationToken))
            {
                // Waiting for the response headers is a read; opening a connection for it is not (ConnectTimeout's phase).
                ConnectionPhase.Attach(request, timeout);
                timeout.Arm();
                try
                {
                    response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
                {
                    var failure = TransportFailure(ex, timeout);
                    _retryPolicy.RecordAttempt(null);
                    if (!_retryPolicy.ShouldRetry(attempt, null, failure, cancellationToken))
                    {
                        LogGaveUp(operation, modelId, attempt, failure.GetType().Name);
                        throw failure;
                    }

                    if (!_retryPolicy.TryAcquireRetry(failure, out var cost))
                    {
                        Log.RetryQuotaExhausted(_logger, failure.GetType().Name, attempt, _retryPolicy.Quota.Available, cost);
                        throw failure;
                    }

                    lastRetryCost = cost;
                    await DelayBeforeRetryAsync(attempt, null, failure.GetType().Name, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                finally
                {
                    timeout.Disarm();
                }
            }

            if (response.IsSuccessStatusCode)
            {
                _retryPolicy.RecordAttempt(null);
                _retryPolicy.RecordSuccess(lastRetryCost);
                return (response, attempt);
            }

            BedrockRuntimeException error;
            using (response)
            {
                error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            }

            error.Attempts = attempt;
            _retryPolicy.RecordAttempt(error);
            if (!_retryPolicy.ShouldRetry(attempt, error, null, cancellationToken))
            {
                Log.RequestFailed(_logger, modelId, (int)response.StatusCode, error.ErrorCode, attempt);
                LogGaveUp(operation, modelId, attempt, error.ErrorCode);
                throw error;
            }

            if (!_retryPolicy.TryAcquireRetry(null, out var retryCost))
            {
                Log.RetryQuotaExhausted(_logger, error.ErrorCode, attempt, _retryPolicy.Quota.Available, retryCost);
                throw error;
            }

            lastRetryCost = retryCost;
            await DelayBeforeRetryAsync(attempt, error, error.ErrorCode, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Names a failure before any response: a connect or read timeout as itself, anything else as an HTTP error.</summary>
    private Exception TransportFailure(Exception error, ReadTimeout timeout)
    {
        if (error is OperationCanceledException)
        {
            if (timeout.TimedOut)
            {
                return new ReadTimeoutException(
                    string.Create(CultureInfo.InvariantCulture, $"Bedrock Runtime at {Endpoint.Host} sent no response headers within {_readTimeout.TotalSeconds:0.###} s (BedrockClientOptions.ReadTimeout)."),
                    _readTimeout,
                    error);
            }

            if (error.InnerException is TimeoutException)
            {
                return timeout.Connecting
                    ? new ConnectTimeoutException(
                        string.Create(CultureInfo.InvariantCulture, $"No connection to {Endpoint.Host} could be opened within {_connectTimeout.TotalSeconds:0.###} s (BedrockClientOptions.ConnectTimeout)."),
                        _connectTimeout,
                        error)
                    : new TimeoutException($"The HTTP stack gave up on the request to {Endpoint.Host}: {error.InnerException.Message}", error);
            }
        }

        return error is HttpRequestException http
            ? new HttpRequestException(http.HttpRequestError, $"Sending the request to {Endpoint.Host} failed: {error.Message}", error, http.StatusCode)
            : new HttpRequestException($"Sending the request to {Endpoint.Host} failed: {error.Message}", error);
    }

    private void LogGaveUp(string operation, string modelId, int attempts, string reason)
    {
        if (attempts > 1)
        {
            Log.GaveUp(_logger, operation, modelId, attempts, MaxAttempts, RetryMode, reason);
        }
    }

    private async Task DelayBeforeRetryAsync(int attempt, BedrockRuntimeException? error, string reason, CancellationToken cancellationToken)
    {
        var delay = _retryPolicy.GetDelay(attempt, error);
        Log.Retrying(_logger, reason, attempt, MaxAttempts, delay.TotalMilliseconds, _retryPolicy.Quota.Available);
        await _retryPolicy.DelayAsync(delay, cancellationToken).ConfigureAwait(false);
    }

    private async Task<BedrockRuntimeException> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var timeout = CreateReadTimeout(cancellationToken);
        byte[] body;
        try
        {
            body = await ReadBoundedAsync(response.Content, BedrockErrorMapper.MaxErrorBodyBytes, timeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The status line and headers still say what went wrong.
            body = [];
        }

        return BedrockErrorMapper.FromHttpResponse(response.StatusCode, response.Headers, body);
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, int limit, ReadTimeout timeout)
    {
        var stream = new ReadTimeoutStream(await content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false), timeout);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[limit];
            var read = await stream.ReadAtLeastAsync(buffer, limit, throwOnEndOfStream: false, timeout.Token).ConfigureAwait(false);
            return buffer.AsSpan(0, read).ToArray();
        }
    }

    /// <summary>Reads a whole body, each read with the whole read timeout.</summary>
    private static async Task<MemoryStream> ReadBodyAsync(HttpContent content, ReadTimeout timeout)
    {
        var length = content.Headers.ContentLength;
        var bytes = new MemoryStream(length is > 0 and <= 1 << 20 ? (int)length.Value : 16 * 1024);
        var stream = new ReadTimeoutStream(await content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false), timeout);
        await using (stream.ConfigureAwait(false))
        {
            await stream.CopyToAsync(bytes, timeout.Token).ConfigureAwait(false);
        }

        return bytes;
    }

    private ReadTimeout CreateReadTimeout(CancellationToken cancellationToken) => new(_readTimeout, _timeProvider, cancellationToken);

    private ReadTimeoutException ReadTimedOut(string what, Exception cause) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Bedrock Runtime at {Endpoint.Host} sent no data for {_readTimeout.TotalSeconds:0.###} s while the client read {what} (BedrockClientOptions.ReadTimeout)."), _readTimeout, cause);

    private static string? GetRequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-amzn-RequestId", out var values) ? values.FirstOrDefault() : null;

    private static byte[] Serialize<T>(T request, Func<JsonTypeInfo<T>> typeInfo) where T : ConverseRequestBase
    {
        if (string.IsNullOrEmpty(request.ModelId))
        {
            throw new ArgumentException("The request has no ModelId.", nameof(request));
        }

        // The common shapes without building the context's metadata for the whole request type graph (the metadata
        // property is read only when needed: reading it builds it); the rest through the context, same bytes.
        return ConverseRequestWriter.TryWrite(request) ?? JsonSerializer.SerializeToUtf8Bytes(request, typeInfo());
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Sending {Operation} to model {ModelId}, attempt {Attempt} of {MaxAttempts}")]
        public static partial void Sending(ILogger logger, string operation, string modelId, int attempt, int maxAttempts);

        [LoggerMessage(2, LogLevel.Information, "Retrying after {Reason} (attempt {Attempt} of {MaxAttempts} failed), waiting {DelayMs} ms; {QuotaTokens} retry quota tokens left")]
        public static partial void Retrying(ILogger logger, string reason, int attempt, int maxAttempts, double delayMs, int quotaTokens);

        [LoggerMessage(3, LogLevel.Debug, "Request to model {ModelId} failed with HTTP {StatusCode} {ErrorCode} after {Attempts} attempt(s)")]
        public static partial void RequestFailed(ILogger logger, string modelId, int statusCode, string errorCode, int attempts);

        [LoggerMessage(4, LogLevel.Debug, "Skipped a stream event of unknown type {EventType}")]
        public static partial void UnknownEventSkipped(ILogger logger, string eventType);

        [LoggerMessage(5, LogLevel.Debug, "Skipped a stream frame of unknown message type {MessageType}")]
        public static partial void UnknownMessageTypeSkipped(ILogger logger, string messageType);

        [LoggerMessage(6, LogLevel.Debug, "Stream from model {ModelId} completed with {Events} events")]
        public static partial void StreamCompleted(ILogger logger, string modelId, int events);

        [LoggerMessage(7, LogLevel.Warning, "{Operation} to model {ModelId} failed after {Attempts} of at most {MaxAttempts} attempts ({RetryMode} retry mode): {Reason}. A caller that retries the call (such as an agent's ModelRetryStrategy) makes up to {MaxAttempts} attempts again each time")]
        public static partial void GaveUp(ILogger logger, string operation, string modelId, int attempts, int maxAttempts, RetryMode retryMode, string reason);

        [LoggerMessage(8, LogLevel.Warning, "Not retrying {Reason} after attempt {Attempt}: the client's retry quota is exhausted ({QuotaTokens} tokens left, a retry costs {Cost}); successful calls refill it")]
        public static partial void RetryQuotaExhausted(ILogger logger, string reason, int attempt, int quotaTokens, int cost);

        [LoggerMessage(9, LogLevel.Debug, "Adaptive retry mode held attempt {Attempt} back for {DelayMs} ms (allowed send rate {Rate:0.###} requests/s)")]
        public static partial void RateLimited(ILogger logger, int attempt, double delayMs, double rate);
    }
}
