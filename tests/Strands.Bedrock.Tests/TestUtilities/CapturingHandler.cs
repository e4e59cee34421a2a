using System.Collections.Concurrent;
using System.Net;

namespace Strands.Tests.TestUtilities;

/// <summary>A terminal handler that records each request (with its body read out) and answers with a canned response.</summary>
public sealed class CapturingHandler : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, HttpResponseMessage> _respond;

    /// <summary>Creates the handler.</summary>
    /// <param name="respond">Builds the response; default: 200 with an empty JSON object.</param>
    public CapturingHandler(Func<HttpRequestMessage, HttpResponseMessage>? respond = null)
    {
        _respond = respond ?? (_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
    }

    /// <summary>The requests seen, in order.</summary>
    public ConcurrentQueue<CapturedRequest> Requests { get; } = new();

    /// <summary>Whether the handler was disposed.</summary>
    public bool Disposed { get; private set; }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        Requests.Enqueue(new CapturedRequest(request, body));
        return _respond(request);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}

/// <summary>A request seen by <see cref="CapturingHandler"/>.</summary>
/// <param name="Request">The request.</param>
/// <param name="Body">Its body.</param>
public sealed record CapturedRequest(HttpRequestMessage Request, byte[] Body)
{
    /// <summary>The first value of a request or content header, or null.</summary>
    /// <param name="name">The header name.</param>
    /// <returns>The value.</returns>
    public string? Header(string name) =>
        Request.Headers.NonValidated.TryGetValues(name, out var values) ? values.FirstOrDefault()
        : Request.Content is not null && Request.Content.Headers.NonValidated.TryGetValues(name, out values) ? values.FirstOrDefault()
        : null;
}
