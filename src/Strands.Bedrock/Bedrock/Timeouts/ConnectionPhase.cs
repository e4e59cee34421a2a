using System.Net.Sockets;

namespace Strands.Bedrock;

/// <summary>
/// Tells a request's <see cref="ReadTimeout"/> when the default transport (a <see cref="SocketsHttpHandler"/> built by
/// the client) is opening a connection for it, so that connecting is bounded by
/// <see cref="BedrockClientOptions.ConnectTimeout"/> alone and the read timeout starts once the connection is open. A
/// request served on a pooled connection never connects: its read timer runs from the send. Other transports (a
/// caller's <see cref="HttpClient"/> or handler) do not report connections; their read timer runs from the send.
/// </summary>
internal static class ConnectionPhase
{
    private static readonly HttpRequestOptionsKey<ReadTimeout> TimeoutKey = new("Strands.Bedrock.ReadTimeout");

    /// <summary>Attaches the attempt's read timer to its request.</summary>
    /// <param name="request">The request.</param>
    /// <param name="timeout">Its read timer.</param>
    public static void Attach(HttpRequestMessage request, ReadTimeout timeout) => request.Options.Set(TimeoutKey, timeout);

    /// <summary>
    /// The transport's connect step (what <see cref="SocketsHttpHandler"/> does by default: a TCP socket with Nagle off),
    /// stopping the read timer of the request that asked for the connection while it runs.
    /// </summary>
    /// <param name="context">The connection context.</param>
    /// <param name="cancellationToken">Cancelled by the connect timeout or the request.</param>
    /// <returns>The connected stream.</returns>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var timeout = TimeoutOf(context.InitialRequestMessage);
        timeout?.ConnectStarted();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            timeout?.ConnectFailed();
            throw;
        }
    }

    /// <summary>Called once the connection is open and, for https, TLS is established: the read timer starts.</summary>
    /// <param name="context">The connection context.</param>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>The plaintext stream, unchanged.</returns>
    public static ValueTask<Stream> ConnectedAsync(SocketsHttpPlaintextStreamFilterContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        TimeoutOf(context.InitialRequestMessage)?.ConnectCompleted();
        return ValueTask.FromResult(context.PlaintextStream);
    }

    private static ReadTimeout? TimeoutOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(TimeoutKey, out var timeout) ? timeout : null;
}
