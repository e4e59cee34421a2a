using Microsoft.AspNetCore.Http;

namespace Strands.Bedrock.Testing.Internal;

/// <summary>Writes an engine response to a Kestrel request.</summary>
internal sealed class HttpContextSink(HttpContext context, CancellationToken clientGone) : IFakeResponseSink
{
    public CancellationToken ClientGone => clientGone;

    public bool HasStarted => context.Response.HasStarted;

    public void SetStatus(int statusCode) => context.Response.StatusCode = statusCode;

    public void SetHeader(string name, string value)
    {
        if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.ContentType = value;
        }
        else
        {
            context.Response.Headers[name] = value;
        }
    }

    public void SetContentLength(long length) => context.Response.ContentLength = length;

    public async ValueTask StartAsync(CancellationToken cancellationToken) =>
        await context.Response.StartAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        // PipeWriter.WriteAsync copies and flushes: one write is one HTTP chunk on the wire.
        var result = await context.Response.BodyWriter.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted || result.IsCanceled)
        {
            throw new ClientGoneSignal();
        }
    }

    /// <summary>Whether the response is to end prematurely when the request delegate returns.</summary>
    public bool EndedPrematurely { get; private set; }

    // Kestrel closes the connection gracefully (after sending what was written, without the final chunk) when the
    // request delegate throws after the response started; the server does that when this flag is set.
    public void EndPrematurely() => EndedPrematurely = true;

    public void Abort() => context.Abort();
}
