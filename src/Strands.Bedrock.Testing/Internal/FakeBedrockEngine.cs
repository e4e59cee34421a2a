using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Strands.Bedrock.Json;

namespace Strands.Bedrock.Testing.Internal;

/// <summary>
/// The core of the fake, shared by <see cref="FakeBedrockServer"/> and <see cref="FakeBedrockHandler"/>: records
/// each request, routes it, checks its authentication and body, picks the scripted response and writes it to a sink.
/// </summary>
internal sealed class FakeBedrockEngine
{
    /// <summary>The error code of the answer when nothing is scripted.</summary>
    public const string NoScriptedResponseErrorType = "FakeBedrockNoScriptedResponse";

    /// <summary>The error code of the answer when a responder threw.</summary>
    public const string ResponderFailedErrorType = "FakeBedrockResponderFailed";

    private const string EventStreamContentType = "application/vnd.amazon.eventstream";
    private const string ModelPrefix = "/model/";

    private readonly ConcurrentQueue<FakeResponse> _queue = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Lock _requestsLock = new();
    private readonly ImmutableCredentials? _credentials;
    private Func<RecordedRequest, FakeResponse>? _responder;

    public FakeBedrockEngine(FakeBedrockServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Region);
        ArgumentException.ThrowIfNullOrEmpty(options.SigningName);
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        Options = options;
        _credentials = options.Credentials?.GetCredentials();
    }

    public FakeBedrockServerOptions Options { get; }

    /// <summary>A snapshot of the requests received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requestsLock)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>Responses queued and not yet used.</summary>
    public int PendingResponses => _queue.Count;

    public void Enqueue(IEnumerable<FakeResponse> responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        foreach (var response in responses)
        {
            ArgumentNullException.ThrowIfNull(response, nameof(responses));
            _queue.Enqueue(response);
        }
    }

    public void RespondWith(Func<RecordedRequest, FakeResponse>? responder) => Volatile.Write(ref _responder, responder);

    public void Reset()
    {
        _queue.Clear();
        Volatile.Write(ref _responder, null);
        lock (_requestsLock)
        {
            _requests.Clear();
        }
    }

    /// <summary>Answers one request. Never throws: every failure ends up in <see cref="RecordedRequest.Completion"/>.</summary>
    public async Task HandleAsync(string method, string rawTarget, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body, IFakeResponseSink sink)
    {
        RecordedRequest recorded;
        lock (_requestsLock)
        {
            recorded = new RecordedRequest(_requests.Count, method, rawTarget, headers, body, Options.TimeProvider.GetUtcNow());
            _requests.Add(recorded);
        }

        var cancellationToken = sink.ClientGone;
        try
        {
            var (response, error) = Decide(recorded);
            if (error is not null)
            {
                await WriteErrorAsync(recorded, sink, error, null, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WriteResponseAsync(recorded, sink, response!, cancellationToken).ConfigureAwait(false);
            }

            recorded.Complete(FakeResponseOutcome.Completed);
        }
        catch (ConnectionDroppedSignal)
        {
            recorded.Complete(FakeResponseOutcome.ConnectionDropped);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested || ex is ClientGoneSignal or IOException)
        {
            recorded.Complete(FakeResponseOutcome.ClientDisconnected);
        }
        catch (Exception ex)
        {
            recorded.Complete(FakeResponseOutcome.Faulted);
            if (!sink.HasStarted)
            {
                try
                {
                    await WriteErrorAsync(recorded, sink, new FakeError(ResponderFailedErrorType, 501, $"The fake Bedrock failed to answer request #{recorded.Sequence}: {ex.GetType().Name}: {ex.Message}"), null, CancellationToken.None).ConfigureAwait(false);
                    return;
                }
                catch (Exception)
                {
                    // The error could not be sent either (the client left, the connection broke): abort below.
                }
            }

            sink.Abort();
        }
    }

    private (FakeResponse? Response, FakeError? Error) Decide(RecordedRequest recorded)
    {
        // 1. Route: POST /model/{one segment}/converse[-stream].
        if (!TryRoute(recorded))
        {
            return (null, new FakeError("UnknownOperationException", 404, $"Unknown operation: {recorded.Method} {recorded.RawPath}. The fake Bedrock Runtime serves POST /model/{{modelId}}/converse and /converse-stream."));
        }

        // 2. Authenticate.
        if (Options.VerifyAuthentication && Authenticate(recorded) is { } denied)
        {
            return (null, denied);
        }

        recorded.IsAuthenticated = true;

        // 3. Parse and validate the body.
        if (Parse(recorded) is { } invalid)
        {
            return (null, invalid);
        }

        if (Options.ValidateRequests && Validate(recorded) is { } violation)
        {
            return (null, new FakeError("ValidationException", 400, violation));
        }

        // 4. The script: the queue, then the responder, then the default.
        if (_queue.TryDequeue(out var queued))
        {
            return (queued, null);
        }

        if (Volatile.Read(ref _responder) is { } responder)
        {
            return (responder(recorded) ?? throw new InvalidOperationException("The responder returned null."), null);
        }

        if (Options.DefaultResponse is { } fallback)
        {
            return (fallback, null);
        }

        return (null, new FakeError(NoScriptedResponseErrorType, 501,
            $"The fake Bedrock has no response scripted for request #{recorded.Sequence} ({recorded.Method} {recorded.RawPath}): call Enqueue or RespondWith, or set FakeBedrockServerOptions.DefaultResponse."));
    }

    private static bool TryRoute(RecordedRequest recorded)
    {
        recorded.Operation = FakeOperation.Unknown;
        var path = recorded.RawPath;
        if (!string.Equals(recorded.Method, "POST", StringComparison.Ordinal) || !path.StartsWith(ModelPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = path[ModelPrefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return false;
        }

        var operation = rest[(slash + 1)..] switch
        {
            "converse" => FakeOperation.Converse,
            "converse-stream" => FakeOperation.ConverseStream,
            _ => FakeOperation.Unknown,
        };
        if (operation == FakeOperation.Unknown)
        {
            return false;
        }

        string modelId;
        try
        {
            modelId = Uri.UnescapeDataString(rest[..slash]);
        }
        catch (UriFormatException)
        {
            return false;
        }

        recorded.Operation = operation;
        recorded.ModelId = modelId;
        return true;
    }

    private FakeError? Authenticate(RecordedRequest recorded)
    {
        var authorization = recorded.Header("authorization");
        if (string.IsNullOrEmpty(authorization))
        {
            return new FakeError("MissingAuthenticationTokenException", 403, "Missing Authentication Token");
        }

        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization["Bearer ".Length..].Trim();
            return Options.BearerToken is { } expected && FixedTimeEquals(token, expected)
                ? null
                : new FakeError("UnrecognizedClientException", 403, "The security token included in the request is invalid.");
        }

        if (!authorization.StartsWith(SigV4Verifier.Algorithm + " ", StringComparison.Ordinal))
        {
            return new FakeError("IncompleteSignatureException", 403, $"Authorization header requires '{SigV4Verifier.Algorithm}' or 'Bearer'.");
        }

        var credentials = _credentials;
        var result = SigV4Verifier.Verify(recorded.ToSigV4Request(), accessKey => credentials is not null && accessKey == credentials.AccessKey ? credentials.SecretKey : null);
        recorded.Signature = result;
        if (credentials is null || (result.FailureReason?.StartsWith("unknown access key", StringComparison.Ordinal) ?? false))
        {
            return new FakeError("UnrecognizedClientException", 403, "The security token included in the request is invalid.");
        }

        if (result.Region is { } region && !string.Equals(region, Options.Region, StringComparison.Ordinal))
        {
            return new FakeError("InvalidSignatureException", 403, $"Credential should be scoped to a valid region, not '{region}'. ");
        }

        if (result.Service is { } service && !string.Equals(service, Options.SigningName, StringComparison.Ordinal))
        {
            return new FakeError("InvalidSignatureException", 403, $"Credential should be scoped to correct service: '{Options.SigningName}'. ");
        }

        if (!result.IsValid)
        {
            return new FakeError("InvalidSignatureException", 403, result.FailureReason == "signature mismatch"
                ? "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
                : $"The request signature is malformed: {result.FailureReason}.");
        }

        var now = Options.TimeProvider.GetUtcNow();
        if (result.SignedAt is { } signedAt && (signedAt - now).Duration() > Options.MaxClockSkew)
        {
            var stamp = signedAt.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            return new FakeError("InvalidSignatureException", 403, signedAt < now
                ? $"Signature expired: {stamp} is now earlier than {(now - Options.MaxClockSkew).ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}."
                : $"Signature not yet current: {stamp} is still later than {(now + Options.MaxClockSkew).ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.");
        }

        if (credentials.UseToken)
        {
            var token = recorded.Header("x-amz-security-token");
            if (token is null || !FixedTimeEquals(token, credentials.Token) || result.SignedHeaders?.Contains("x-amz-security-token") != true)
            {
                return new FakeError("UnrecognizedClientException", 403, "The security token included in the request is invalid.");
            }
        }

        return null;
    }

    private static FakeError? Parse(RecordedRequest recorded)
    {
        try
        {
            if (recorded.Operation == FakeOperation.Converse)
            {
                var request = JsonSerializer.Deserialize(recorded.Body, BedrockJsonContext.Default.ConverseRequest);
                if (request is null)
                {
                    return Invalid("the body is not a JSON object");
                }

                recorded.ConverseRequest = request with { ModelId = recorded.ModelId! };
                return request.Messages is null ? MissingMessages() : null;
            }
            else
            {
                var request = JsonSerializer.Deserialize(recorded.Body, BedrockJsonContext.Default.ConverseStreamRequest);
                if (request is null)
                {
                    return Invalid("the body is not a JSON object");
                }

                recorded.ConverseStreamRequest = request with { ModelId = recorded.ModelId! };
                return request.Messages is null ? MissingMessages() : null;
            }
        }
        catch (JsonException ex)
        {
            return Invalid(ex.Message);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return Invalid(ex.Message);
        }

        static FakeError Invalid(string detail) =>
            new("ValidationException", 400, $"Malformed input request, please reformat your input and try again. ({detail})");

        static FakeError MissingMessages() =>
            new("ValidationException", 400, "1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null");
    }

    /// <summary>What the service would reject in a parsed request: the conversation's rules, then the other constraints.</summary>
    private static string? Validate(RecordedRequest recorded)
    {
        ConverseRequestBase request = (ConverseRequestBase?)recorded.ConverseRequest ?? recorded.ConverseStreamRequest!;
        var (guardrailId, guardrailVersion) = recorded.ConverseRequest is { } converse
            ? (converse.GuardrailConfig?.GuardrailIdentifier, converse.GuardrailConfig?.GuardrailVersion)
            : (recorded.ConverseStreamRequest!.GuardrailConfig?.GuardrailIdentifier, recorded.ConverseStreamRequest.GuardrailConfig?.GuardrailVersion);
        return ConversationRules.FindViolation(request.Messages!) ?? RequestRules.FindViolation(request, guardrailId, guardrailVersion);
    }

    private async Task WriteResponseAsync(RecordedRequest recorded, IFakeResponseSink sink, FakeResponse response, CancellationToken cancellationToken)
    {
        var requestId = response.RequestId ?? Guid.NewGuid().ToString();
        if (response.Raw is { } raw)
        {
            await WriteRawAsync(recorded, sink, response, raw, requestId, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (response.HttpError is { } httpError)
        {
            await WriteErrorAsync(recorded, sink, httpError, response, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (recorded.Operation == FakeOperation.Converse)
        {
            if (response.EventDelay > TimeSpan.Zero)
            {
                // The whole turn is generated before Converse answers.
                var events = ResponseRenderer.Events(response).Count();
                await DelayAsync(response.EventDelay * events, cancellationToken).ConfigureAwait(false);
            }

            if (response.StreamFault is { Kind: not FakeStreamFaultKind.Truncation } fault)
            {
                await WriteErrorAsync(recorded, sink, ResponseRenderer.ToHttpError(fault), response, cancellationToken).ConfigureAwait(false);
                return;
            }

            var body = response.StreamFault is null ? ResponseRenderer.ConverseBody(response) : ResponseRenderer.TruncatedConverseBody;
            recorded.StatusCode = 200;
            sink.SetStatus(200);
            sink.SetHeader("Content-Type", "application/json");
            sink.SetHeader("x-amzn-RequestId", requestId);
            sink.SetContentLength(body.Length);
            await sink.StartAsync(cancellationToken).ConfigureAwait(false);
            var output = new BodyOutput(sink, response.ConnectionDropAfterBytes, response.ChunkSize);
            await output.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            await output.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await WriteStreamAsync(recorded, sink, response, requestId, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteStreamAsync(RecordedRequest recorded, IFakeResponseSink sink, FakeResponse response, string requestId, CancellationToken cancellationToken)
    {
        recorded.StatusCode = 200;
        sink.SetStatus(200);
        sink.SetHeader("Content-Type", EventStreamContentType);
        sink.SetHeader("x-amzn-RequestId", requestId);
        await sink.StartAsync(cancellationToken).ConfigureAwait(false);

        var output = new BodyOutput(sink, response.ConnectionDropAfterBytes, response.ChunkSize);
        using var renderer = new ResponseRenderer();
        var fault = response.StreamFault;
        var sent = 0;
        foreach (var streamEvent in ResponseRenderer.Events(response))
        {
            if (fault is not null && sent == fault.AfterEvents)
            {
                break;
            }

            if (response.EventDelay > TimeSpan.Zero)
            {
                await DelayAsync(response.EventDelay, cancellationToken).ConfigureAwait(false);
            }

            await output.WriteAsync(renderer.EncodeEvent(streamEvent, sent), cancellationToken).ConfigureAwait(false);
            sent++;
        }

        if (fault is { Kind: not FakeStreamFaultKind.Truncation })
        {
            recorded.ErrorType = fault.Type;
            if (response.EventDelay > TimeSpan.Zero)
            {
                await DelayAsync(response.EventDelay, cancellationToken).ConfigureAwait(false);
            }

            await output.WriteAsync(ResponseRenderer.EncodeFault(fault), cancellationToken).ConfigureAwait(false);
        }

        await output.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteRawAsync(RecordedRequest recorded, IFakeResponseSink sink, FakeResponse response, FakeRawBody raw, string requestId, CancellationToken cancellationToken)
    {
        recorded.StatusCode = raw.StatusCode;
        sink.SetStatus(raw.StatusCode);
        sink.SetHeader("Content-Type", raw.ContentType);
        sink.SetHeader("x-amzn-RequestId", requestId);
        foreach (var (name, value) in raw.Headers ?? new Dictionary<string, string>())
        {
            sink.SetHeader(name, value);
            if (string.Equals(name, "x-amzn-ErrorType", StringComparison.OrdinalIgnoreCase))
            {
                recorded.ErrorType = value;
            }
        }

        if (response.ChunkSize is null)
        {
            sink.SetContentLength(raw.Body.Length);
        }

        await sink.StartAsync(cancellationToken).ConfigureAwait(false);
        var output = new BodyOutput(sink, response.ConnectionDropAfterBytes, response.ChunkSize);
        var chunk = response.ChunkSize ?? Math.Max(raw.Body.Length, 1);
        for (var offset = 0; offset < raw.Body.Length; offset += chunk)
        {
            if (response.EventDelay > TimeSpan.Zero)
            {
                await DelayAsync(response.EventDelay, cancellationToken).ConfigureAwait(false);
            }

            await output.WriteAsync(raw.Body.AsMemory(offset, Math.Min(chunk, raw.Body.Length - offset)), cancellationToken).ConfigureAwait(false);
        }

        await output.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteErrorAsync(RecordedRequest recorded, IFakeResponseSink sink, FakeError error, FakeResponse? response, CancellationToken cancellationToken)
    {
        var body = ResponseRenderer.ErrorBody(error.Message);
        recorded.StatusCode = error.StatusCode;
        recorded.ErrorType = error.ErrorType;
        sink.SetStatus(error.StatusCode);
        sink.SetHeader("Content-Type", "application/json");
        sink.SetHeader("x-amzn-ErrorType", error.ErrorType);
        sink.SetHeader("x-amzn-RequestId", response?.RequestId ?? Guid.NewGuid().ToString());
        sink.SetContentLength(body.Length);
        await sink.StartAsync(cancellationToken).ConfigureAwait(false);
        var output = new BodyOutput(sink, response?.ConnectionDropAfterBytes, null);
        await output.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        await output.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        Task.Delay(delay, Options.TimeProvider, cancellationToken);

    private static bool FixedTimeEquals(string actual, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(actual), Encoding.UTF8.GetBytes(expected));
}
