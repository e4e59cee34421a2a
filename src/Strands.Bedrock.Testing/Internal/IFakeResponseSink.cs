namespace Strands.Bedrock.Testing.Internal;

/// <summary>Where the engine writes a response: a Kestrel <c>HttpContext</c>, or the pipe behind a <see cref="FakeBedrockHandler"/> response.</summary>
internal interface IFakeResponseSink
{
    /// <summary>Cancelled when the client went away (closed the connection, disposed the response).</summary>
    CancellationToken ClientGone { get; }

    /// <summary>Whether the status line and headers were sent.</summary>
    bool HasStarted { get; }

    /// <summary>Sets the status (before <see cref="StartAsync"/>).</summary>
    void SetStatus(int statusCode);

    /// <summary>Sets a response header (before <see cref="StartAsync"/>); <c>Content-Type</c> included.</summary>
    void SetHeader(string name, string value);

    /// <summary>Sets the <c>Content-Length</c> (before <see cref="StartAsync"/>).</summary>
    void SetContentLength(long length);

    /// <summary>Sends the status line and headers.</summary>
    ValueTask StartAsync(CancellationToken cancellationToken);

    /// <summary>Writes and flushes body bytes; throws <see cref="OperationCanceledException"/> when the client is gone.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Drops the connection: the client sees the body end abruptly.</summary>
    void Abort();
}
