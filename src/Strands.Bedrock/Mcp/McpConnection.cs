using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using Strands.Tools;

namespace Strands.Mcp;

/// <summary>
/// One started connection of an <see cref="McpToolProvider"/>: the SDK's client, what closing it involves, and the
/// tools made from the server's list. The tools keep a reference to it and answer with an error once it is closed.
/// </summary>
internal sealed class McpConnection
{
    private readonly IAsyncDisposable? _ownedTransport;
    private readonly bool _ownsClient;
    private volatile bool _closed;

    public McpConnection(McpClient client, bool ownsClient, IAsyncDisposable? ownedTransport, string server, TimeSpan callTimeout, ILogger logger)
    {
        Client = client;
        _ownsClient = ownsClient;
        _ownedTransport = ownedTransport;
        Server = server;
        CallTimeout = callTimeout;
        Logger = logger;
    }

    public McpClient Client { get; }

    /// <summary>The server's name in messages and logs (the transport's name, or the server's own).</summary>
    public string Server { get; }

    public TimeSpan CallTimeout { get; }

    public ILogger Logger { get; }

    public IReadOnlyList<AgentTool> Tools { get; set; } = [];

    public bool IsClosed => _closed;

    /// <summary>Closes the client (which ends a stdio server's process) and the transport, when the provider owns them.</summary>
    public async ValueTask CloseAsync()
    {
        _closed = true;
        try
        {
            if (_ownsClient)
            {
                await Client.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            if (_ownedTransport is not null)
            {
                await _ownedTransport.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
