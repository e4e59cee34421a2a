namespace Strands.Bedrock.Testing;

/// <summary>The operation a request addressed.</summary>
public enum FakeOperation
{
    /// <summary>No known operation (unknown path or method).</summary>
    Unknown,

    /// <summary><c>POST /model/{modelId}/converse</c>.</summary>
    Converse,

    /// <summary><c>POST /model/{modelId}/converse-stream</c>.</summary>
    ConverseStream,
}

/// <summary>How the fake's answer to a request ended.</summary>
public enum FakeResponseOutcome
{
    /// <summary>The whole response was sent.</summary>
    Completed,

    /// <summary>The client went away (cancelled, disposed the response, closed the connection) before the response was complete.</summary>
    ClientDisconnected,

    /// <summary>The fake dropped the connection as scripted (<see cref="FakeResponse.DropConnectionAfterBytes"/>).</summary>
    ConnectionDropped,

    /// <summary>The fake failed while answering (a responder threw, or the fake was stopped).</summary>
    Faulted,
}

/// <summary>
/// A request the fake received, for assertions: the raw HTTP request (method, undecoded path, headers, body bytes),
/// the decoded model id, the parsed Converse or ConverseStream request, and how it was answered.
/// </summary>
public sealed class RecordedRequest
{
    private readonly TaskCompletionSource<FakeResponseOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal RecordedRequest(int sequence, string method, string rawTarget, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body, DateTimeOffset receivedAt)
    {
        Sequence = sequence;
        Method = method;
        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        RawPath = query < 0 ? rawTarget : rawTarget[..query];
        RawQuery = query < 0 ? null : rawTarget[query..];
        Headers = headers;
        Body = body;
        ReceivedAt = receivedAt;
    }

    /// <summary>The 0-based number of the request since the fake started.</summary>
    public int Sequence { get; }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The path exactly as sent, still percent-encoded (e.g. <c>/model/us.amazon.nova-pro-v1%3A0/converse</c>).</summary>
    public string RawPath { get; }

    /// <summary>The query string as sent, with its <c>?</c>; null when there was none.</summary>
    public string? RawQuery { get; }

    /// <summary>The headers as received (names as sent; repeated names appear repeatedly).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The body bytes.</summary>
    public byte[] Body { get; }

    /// <summary>When the request arrived (on <see cref="FakeBedrockServerOptions.TimeProvider"/>).</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The operation the path named.</summary>
    public FakeOperation Operation { get; internal set; }

    /// <summary>The model id, decoded from its path segment; null when the path names no operation.</summary>
    public string? ModelId { get; internal set; }

    /// <summary>The parsed Converse request (with <see cref="ConverseRequestBase.ModelId"/> set), for a valid Converse call.</summary>
    public ConverseRequest? ConverseRequest { get; internal set; }

    /// <summary>The parsed ConverseStream request (with <see cref="ConverseRequestBase.ModelId"/> set), for a valid ConverseStream call.</summary>
    public ConverseStreamRequest? ConverseStreamRequest { get; internal set; }

    /// <summary>The SigV4 verdict, when the request carried a SigV4 <c>Authorization</c> header.</summary>
    public SigV4Result? Signature { get; internal set; }

    /// <summary>Whether the request passed authentication (always true when verification is off).</summary>
    public bool IsAuthenticated { get; internal set; }

    /// <summary>The HTTP status the fake answered with (set once the response started).</summary>
    public int? StatusCode { get; internal set; }

    /// <summary>The <c>x-amzn-ErrorType</c> the fake answered with, for errors it generated or was scripted to send.</summary>
    public string? ErrorType { get; internal set; }

    /// <summary>Completes when the response ended, telling how.</summary>
    public Task<FakeResponseOutcome> Completion => _outcome.Task;

    /// <summary>The first value of a header (case-insensitive), or null.</summary>
    /// <param name="name">The header name.</param>
    /// <returns>The value.</returns>
    public string? Header(string name)
    {
        foreach (var header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }

    /// <summary>The body as UTF-8 text.</summary>
    /// <returns>The text.</returns>
    public string BodyText() => System.Text.Encoding.UTF8.GetString(Body);

    /// <inheritdoc />
    public override string ToString() => $"#{Sequence} {Method} {RawPath}{RawQuery} → {(StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(pending)")}";

    internal void Complete(FakeResponseOutcome outcome) => _outcome.TrySetResult(outcome);

    internal SigV4Request ToSigV4Request() => new(Method, RawPath, RawQuery, Headers, Body);
}
