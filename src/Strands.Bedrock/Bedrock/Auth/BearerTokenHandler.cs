namespace Strands.Bedrock;

/// <summary>
/// Authenticates each request with a Bedrock API key: sets <c>Authorization: Bearer &lt;token&gt;</c> and adds no
/// SigV4 headers. The token is never logged.
/// </summary>
internal sealed class BearerTokenHandler : DelegatingHandler
{
    private readonly string _authorization;

    /// <summary>Creates the handler.</summary>
    /// <param name="token">The API key (visible ASCII, already validated).</param>
    /// <param name="innerHandler">The handler that sends the request.</param>
    public BearerTokenHandler(string token, HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        _authorization = "Bearer " + token;
    }

    /// <inheritdoc/>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Authorize(request);
        return base.SendAsync(request, cancellationToken);
    }

    /// <inheritdoc/>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Authorize(request);
        return base.Send(request, cancellationToken);
    }

    private void Authorize(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", _authorization);
    }
}
