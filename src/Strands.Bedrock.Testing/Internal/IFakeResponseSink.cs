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

    /// <summary>
    /// Ends the response early, as a dropped connection: what was written is delivered, then the connection closes
    /// without completing the body, and the client sees the response end prematurely.
    /// </summary>
    void EndPrematurely();

    /// <summary>Aborts the connection at once (the fake failed mid-response).</summary>
    void Abort();
}
