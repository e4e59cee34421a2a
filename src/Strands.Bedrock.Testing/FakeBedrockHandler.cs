using Strands.Bedrock.Testing.Internal;

namespace Strands.Bedrock.Testing;

/// <summary>
/// The fake Bedrock Runtime in process, without sockets: an <see cref="HttpMessageHandler"/> with the same script,
/// recording, authentication checks and wire format as <see cref="FakeBedrockServer"/>. Pass it as
/// <see cref="BedrockClientOptions.HttpHandler"/> (or use <see cref="CreateClientOptions"/>). Stream bodies flow
/// through a pipe as they are written, so event delays, mid-stream faults and dropped connections behave as on a socket.
/// </summary>
/// <remarks>
/// A <see cref="BedrockRuntimeClient"/> disposes its handler when it is disposed; this handler keeps working after
/// that (its script and recorded requests stay available), so one handler can serve several clients in turn.
/// </remarks>
public sealed class FakeBedrockHandler : HttpMessageHandler, IFakeBedrock
{
    /// <summary>The endpoint <see cref="CreateClientOptions"/> uses; nothing listens there, the handler answers.</summary>
    public static readonly Uri DefaultEndpoint = new("http://fake-bedrock.invalid/");

    private readonly FakeBedrockEngine _engine;

    /// <summary>Creates the handler.</summary>
    /// <param name="options">Authentication and defaults; null for <see cref="FakeBedrockServerOptions"/>' defaults.</param>
    public FakeBedrockHandler(FakeBedrockServerOptions? options = null)
    {
        _engine = new FakeBedrockEngine(options ?? new FakeBedrockServerOptions());
    }

    /// <inheritdoc />
    public FakeBedrockServerOptions Options => _engine.Options;

    /// <inheritdoc />
    public IReadOnlyList<RecordedRequest> Requests => _engine.Requests;

    /// <inheritdoc />
    public int PendingResponses => _engine.PendingResponses;

    /// <inheritdoc />
    public void Enqueue(params FakeResponse[] responses) => _engine.Enqueue(responses);

    /// <inheritdoc />
    public void RespondWith(Func<RecordedRequest, FakeResponse>? responder) => _engine.RespondWith(responder);

    /// <inheritdoc />
    public void Reset() => _engine.Reset();

    /// <inheritdoc />
    public BedrockClientOptions CreateClientOptions(int maxAttempts = BedrockClientOptions.DefaultMaxAttempts) =>
        FakeClientOptions.For(Options, maxAttempts) with
        {
            EndpointUrl = DefaultEndpoint,
            HttpHandler = this,

            // The endpoint is a name only: this handler answers in process, so nothing travels over plain http.
            UnsafeAllowHttpToAnyHost = true,
        };

    /// <inheritdoc />
    public BedrockRuntimeClient CreateClient(int maxAttempts = BedrockClientOptions.DefaultMaxAttempts) => new(CreateClientOptions(maxAttempts));

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);

        // As a server would see it: Host from the URI, Content-Length from the body.
        _ = request.Content?.Headers.ContentLength;
        var raw = SigV4Request.From(request, body);
        var headers = raw.Headers;
        if (request.Content is not null && raw.Header("content-length") is null)
        {
            headers = [.. headers, new("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        }

        var sink = new PipeResponseSink(request);
        var exchange = RunAsync(request.Method.Method, uri.PathAndQuery, headers, body, sink);
        try
        {
            return await sink.Started.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            sink.Cancel();
            await exchange.ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendAsync(request, cancellationToken).GetAwaiter().GetResult();

    private async Task RunAsync(string method, string rawTarget, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body, PipeResponseSink sink)
    {
        // Off the caller's stack, as a server would run it.
        await Task.Yield();
        try
        {
            await _engine.HandleAsync(method, rawTarget, headers, body, sink).ConfigureAwait(false);
        }
        finally
        {
            sink.Complete();
            sink.Dispose();
        }
    }
}
