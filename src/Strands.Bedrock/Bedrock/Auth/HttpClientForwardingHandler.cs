namespace Strands.Bedrock;

/// <summary>
/// The innermost handler when the caller supplies <see cref="BedrockClientOptions.HttpClient"/>: it hands the already
/// authenticated request to that client (headers-read completion, so streams are not buffered). It never disposes
/// the client. The chain above it must be called through an <see cref="HttpMessageInvoker"/>, not another
/// <see cref="HttpClient"/>, because an <see cref="HttpClient"/> refuses a request that another one has already sent.
/// </summary>
internal sealed class HttpClientForwardingHandler : HttpMessageHandler
{
    private readonly HttpClient _client;

    /// <summary>Creates the handler.</summary>
    /// <param name="client">The caller's client; not disposed by this handler.</param>
    public HttpClientForwardingHandler(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <inheritdoc/>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    /// <inheritdoc/>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _client.Send(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
}
