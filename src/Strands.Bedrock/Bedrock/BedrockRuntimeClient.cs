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
/// API key, with AWS standard retries. Thread-safe: share one instance across concurrent calls.
/// </summary>
public sealed partial class BedrockRuntimeClient : IBedrockRuntimeClient, IDisposable
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly HttpMessageInvoker _http;
    private readonly BedrockRetryPolicy _retryPolicy;
    private readonly int _maxAttempts;
    private readonly TimeSpan _readTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly string _userAgent;
    private readonly ILogger _logger;

    /// <summary>Creates a client; every unset option is resolved as the AWS SDKs resolve it.</summary>
    /// <param name="options">The options, or null for the defaults.</param>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public BedrockRuntimeClient(BedrockClientOptions? options = null)
        : this(options ?? new BedrockClientOptions(), Environment.GetEnvironmentVariable)
    {
    }

    internal BedrockRuntimeClient(BedrockClientOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxAttempts, "BedrockClientOptions.MaxAttempts must be at least 1.");
        }

        if (options.ReadTimeout <= TimeSpan.Zero && options.ReadTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ReadTimeout, "BedrockClientOptions.ReadTimeout must be positive.");
        }

        Options = options;
        Region = BedrockRegionResolver.Resolve(options, environment);
        Endpoint = BedrockEndpointResolver.Resolve(options, Region, environment);
        _maxAttempts = options.MaxAttempts;
        _readTimeout = options.ReadTimeout;
        _timeProvider = options.TimeProvider;
        _retryPolicy = new BedrockRetryPolicy(options.MaxAttempts, options.TimeProvider);
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

    /// <inheritdoc />
    public async Task<ConverseResponse> ConverseAsync(ConverseRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = Serialize(request, BedrockJsonContext.Default.ConverseRequest);
        using var response = await SendWithRetriesAsync(request.ModelId, stream: false, body, cancellationToken).ConfigureAwait(false);
        using var timeout = CreateReadTimeout(cancellationToken);
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            var parsed = Deserialize(bytes, BedrockJsonContext.Default.ConverseResponse);
            return parsed with { RequestId = GetRequestId(response) };
        }
        catch (OperationCanceledException) when (timeout.TimedOut && !cancellationToken.IsCancellationRequested)
        {
            throw ReadTimedOut();
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StreamEvent> ConverseStreamAsync(ConverseStreamRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = Serialize(request, BedrockJsonContext.Default.ConverseStreamRequest);
        using var response = await SendWithRetriesAsync(request.ModelId, stream: true, body, cancellationToken).ConfigureAwait(false);
        using var timeout = CreateReadTimeout(cancellationToken);
        var content = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        var reader = new EventStreamReader(content, leaveOpen: false);
        var events = 0;
        await using (reader.ConfigureAwait(false))
        {
        while (true)
        {
            // Each read must make progress within the read timeout; the window restarts per frame.
            timeout.Restart();
            bool more;
            try
            {
                more = await reader.ReadNextAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.TimedOut && !cancellationToken.IsCancellationRequested)
            {
                throw ReadTimedOut();
            }

            if (!more)
            {
                break;
            }

            var streamEvent = DecodeFrame(reader);
            if (streamEvent is not null)
            {
                events++;
                yield return streamEvent;
            }
        }
        }

        Log.StreamCompleted(_logger, request.ModelId, events);
    }

    /// <summary>Turns one frame into an event, throws the error it carries, or skips an event type this version does not know.</summary>
    internal StreamEvent? DecodeFrame(EventStreamReader reader)
    {
        var payload = reader.Payload.Span;
        switch (reader.MessageType)
        {
            case "event":
                switch (reader.EventType)
                {
                    case ContentBlockDeltaEvent.Name: return ParseDelta(payload);
                    case ContentBlockStartEvent.Name: return Deserialize(payload, BedrockJsonContext.Default.ContentBlockStartEvent);
                    case ContentBlockStopEvent.Name: return Deserialize(payload, BedrockJsonContext.Default.ContentBlockStopEvent);
                    case MessageStartEvent.Name: return Deserialize(payload, BedrockJsonContext.Default.MessageStartEvent);
                    case MessageStopEvent.Name: return Deserialize(payload, BedrockJsonContext.Default.MessageStopEvent);
                    case MetadataEvent.Name: return Deserialize(payload, BedrockJsonContext.Default.MetadataEvent);
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

    /// <summary>Sends until a 2xx response arrives, retrying what AWS standard mode retries. Throws the mapped error otherwise.</summary>
    private async Task<HttpResponseMessage> SendWithRetriesAsync(string modelId, bool stream, byte[] body, CancellationToken cancellationToken)
    {
        var uri = BedrockEndpointResolver.BuildRequestUri(Endpoint, modelId, stream);
        var invocationId = Guid.NewGuid().ToString();
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = JsonContentType;
            request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
            request.Headers.TryAddWithoutValidation("amz-sdk-invocation-id", invocationId);
            request.Headers.TryAddWithoutValidation("amz-sdk-request", $"attempt={attempt}; max={_maxAttempts}");

            Log.Sending(_logger, stream ? "ConverseStream" : "Converse", modelId, attempt, _maxAttempts);
            HttpResponseMessage response;
            using (var timeout = CreateReadTimeout(cancellationToken))
            {
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
                    var transportError = ex is OperationCanceledException ? ReadTimedOut() : ex;
                    if (!_retryPolicy.ShouldRetry(attempt, null, transportError, cancellationToken))
                    {
                        throw transportError == ex ? new HttpRequestException($"Sending the request to {Endpoint.Host} failed: {ex.Message}", ex) : transportError;
                    }

                    await DelayBeforeRetryAsync(attempt, null, ex.GetType().Name, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            BedrockRuntimeException error;
            using (response)
            {
                error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            }

            if (!_retryPolicy.ShouldRetry(attempt, error, null, cancellationToken))
            {
                Log.RequestFailed(_logger, modelId, (int)response.StatusCode, error.ErrorCode, attempt);
                throw error;
            }

            await DelayBeforeRetryAsync(attempt, error, error.ErrorCode, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DelayBeforeRetryAsync(int attempt, BedrockRuntimeException? error, string reason, CancellationToken cancellationToken)
    {
        var delay = _retryPolicy.GetDelay(attempt, error);
        Log.Retrying(_logger, reason, attempt, _maxAttempts, delay.TotalMilliseconds);
        await _retryPolicy.DelayAsync(delay, cancellationToken).ConfigureAwait(false);
    }

    private async Task<BedrockRuntimeException> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var timeout = CreateReadTimeout(cancellationToken);
        byte[] body;
        try
        {
            body = await ReadBoundedAsync(response.Content, BedrockErrorMapper.MaxErrorBodyBytes, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The status line and headers still say what went wrong.
            body = [];
        }

        return BedrockErrorMapper.FromHttpResponse(response.StatusCode, response.Headers, body);
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[limit];
            var read = await stream.ReadAtLeastAsync(buffer, limit, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return buffer.AsSpan(0, read).ToArray();
        }
    }

    private ReadTimeout CreateReadTimeout(CancellationToken cancellationToken) => new(_readTimeout, _timeProvider, cancellationToken);

    private TimeoutException ReadTimedOut() =>
        new($"Bedrock Runtime at {Endpoint.Host} sent no data for {_readTimeout.TotalSeconds:0.###} s (BedrockClientOptions.ReadTimeout).");

    private static string? GetRequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-amzn-RequestId", out var values) ? values.FirstOrDefault() : null;

    private static byte[] Serialize<T>(T request, JsonTypeInfo<T> typeInfo) where T : ConverseRequestBase
    {
        if (string.IsNullOrEmpty(request.ModelId))
        {
            throw new ArgumentException("The request has no ModelId.", nameof(request));
        }

        return JsonSerializer.SerializeToUtf8Bytes(request, typeInfo);
    }

    private static ContentBlockDeltaEvent ParseDelta(ReadOnlySpan<byte> json)
    {
        try
        {
            return ContentBlockDeltaParser.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new BedrockRuntimeException($"Bedrock Runtime sent a ContentBlockDeltaEvent that is not valid JSON for its shape: {ex.Message}", "InvalidResponse", statusCode: null, requestId: null, innerException: ex);
        }
    }

    private static T Deserialize<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return JsonSerializer.Deserialize(json, typeInfo)
                ?? throw new BedrockRuntimeException($"Bedrock Runtime sent null where a {typeof(T).Name} was expected.", "InvalidResponse", null, null);
        }
        catch (JsonException ex)
        {
            // Never include the payload: it may hold prompt content.
            throw new BedrockRuntimeException($"Bedrock Runtime sent a {typeof(T).Name} that is not valid JSON for its shape: {ex.Message}", "InvalidResponse", statusCode: null, requestId: null, innerException: ex);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Sending {Operation} to model {ModelId}, attempt {Attempt} of {MaxAttempts}")]
        public static partial void Sending(ILogger logger, string operation, string modelId, int attempt, int maxAttempts);

        [LoggerMessage(2, LogLevel.Information, "Retrying after {Reason} (attempt {Attempt} of {MaxAttempts} failed), waiting {DelayMs} ms")]
        public static partial void Retrying(ILogger logger, string reason, int attempt, int maxAttempts, double delayMs);

        [LoggerMessage(3, LogLevel.Debug, "Request to model {ModelId} failed with HTTP {StatusCode} {ErrorCode} after {Attempts} attempt(s)")]
        public static partial void RequestFailed(ILogger logger, string modelId, int statusCode, string errorCode, int attempts);

        [LoggerMessage(4, LogLevel.Debug, "Skipped a stream event of unknown type {EventType}")]
        public static partial void UnknownEventSkipped(ILogger logger, string eventType);

        [LoggerMessage(5, LogLevel.Debug, "Skipped a stream frame of unknown message type {MessageType}")]
        public static partial void UnknownMessageTypeSkipped(ILogger logger, string messageType);

        [LoggerMessage(6, LogLevel.Debug, "Stream from model {ModelId} completed with {Events} events")]
        public static partial void StreamCompleted(ILogger logger, string modelId, int events);
    }
}
