using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Client;
using Strands.Tools;

namespace Strands.Mcp;

/// <summary>
/// The tools of a Model Context Protocol server, over the official MCP C# SDK: a local server started as a child
/// process (stdio), a remote one over Streamable HTTP, or an <see cref="McpClient"/> you connected yourself. Like
/// <c>MCPClient</c> in Strands for Python, the provider connects on first use, lists the server's tools (every page),
/// and closes the connection, ending a stdio server's process, when the last lease of its tools is disposed.
/// </summary>
/// <remarks>
/// <para>
/// Tool names: the server's names, after <see cref="McpToolProviderOptions.Prefix"/> and <c>_</c> when a prefix is
/// set, with every character Bedrock rejects (outside <c>[a-zA-Z0-9_-]</c>, e.g. <c>.</c> or <c>/</c>) replaced by
/// <c>_</c>; calls use the server's own names. A name longer than 64 characters, or two tools of the server whose
/// names end up alike, make the acquisition fail with <see cref="McpToolProviderException"/> naming them (leave one
/// out with <see cref="McpToolProviderOptions.ToolFilters"/>). Two providers whose tools share names need different
/// prefixes: an agent rejects a second tool of the same name.
/// </para>
/// <para>
/// Results: text, images, embedded resources and <c>structuredContent</c> become the matching Bedrock tool result
/// blocks; <c>isError</c> becomes an error result. A call the server answers with a JSON-RPC error, a server that
/// dies, and a call that exceeds <see cref="McpToolProviderOptions.CallTimeout"/> become error results for that tool
/// use, so the agent loop goes on. Cancelling the invocation cancels the MCP request on the server.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// await using var github = new McpToolProvider(new StdioClientTransportOptions
/// {
///     Command = "npx",
///     Arguments = ["-y", "@modelcontextprotocol/server-github"],
/// });
/// await using var lease = await github.AcquireToolsAsync();
/// var agent = new Agent(tools: lease.Tools);
/// </code>
/// </example>
public sealed class McpToolProvider : IToolProvider, IAsyncDisposable
{
    private readonly Func<ILoggerFactory, CancellationToken, Task<(McpClient Client, IAsyncDisposable? Transport)>>? _connect;
    private readonly McpClient? _client;
    private readonly McpToolProviderOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly string _server;
    private readonly RefCountedResource<McpConnection> _connection;

    /// <summary>A local MCP server, started as a child process that speaks MCP on its standard input and output.</summary>
    /// <param name="transportOptions">The command, its arguments, environment and working directory; read at each start.</param>
    /// <param name="options">Prefix, filters and timeouts; the defaults when null.</param>
    public McpToolProvider(StdioClientTransportOptions transportOptions, McpToolProviderOptions? options = null)
        : this(
            options,
            (transportOptions ?? throw new ArgumentNullException(nameof(transportOptions))).Name ?? Path.GetFileName(transportOptions.Command),
            async (loggerFactory, cancellationToken) => (await ConnectAsync(new StdioClientTransport(transportOptions, loggerFactory), options, loggerFactory, cancellationToken).ConfigureAwait(false), null),
            null)
    {
    }

    /// <summary>A remote MCP server over HTTP: Streamable HTTP, falling back to the older SSE transport (the SDK's auto-detection).</summary>
    /// <param name="transportOptions">The endpoint, headers, OAuth and transport mode; read at each start.</param>
    /// <param name="options">Prefix, filters and timeouts; the defaults when null.</param>
    public McpToolProvider(HttpClientTransportOptions transportOptions, McpToolProviderOptions? options = null)
        : this(
            options,
            (transportOptions ?? throw new ArgumentNullException(nameof(transportOptions))).Name ?? DescribeEndpoint(transportOptions.Endpoint),
            async (loggerFactory, cancellationToken) =>
            {
                var transport = new HttpClientTransport(transportOptions, loggerFactory);
                try
                {
                    return (await ConnectAsync(transport, options, loggerFactory, cancellationToken).ConfigureAwait(false), transport);
                }
                catch
                {
                    await transport.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            },
            null)
    {
    }

    /// <summary>
    /// An MCP server reached through a client that <paramref name="connect"/> creates at each start, e.g. over a
    /// transport of your own or an <see cref="HttpClient"/> with your handlers. The provider disposes the client when
    /// it stops.
    /// </summary>
    /// <param name="connect">Connects a new client (<see cref="McpClient.CreateAsync"/>).</param>
    /// <param name="options">Prefix, filters and timeouts; the defaults when null. <see cref="McpToolProviderOptions.ClientOptions"/> is not used.</param>
    /// <param name="name">The server's name in error messages and logs.</param>
    public McpToolProvider(Func<CancellationToken, Task<McpClient>> connect, McpToolProviderOptions? options = null, string name = "mcp")
        : this(
            options,
            name,
            async (_, cancellationToken) => (await (connect ?? throw new ArgumentNullException(nameof(connect)))(cancellationToken).ConfigureAwait(false), null),
            null)
    {
        ArgumentNullException.ThrowIfNull(connect);
    }

    /// <summary>
    /// The tools of an MCP client you connected and own: the provider lists its tools on first use and calls them,
    /// but never disposes it.
    /// </summary>
    /// <param name="client">The connected client.</param>
    /// <param name="options">Prefix, filters and timeouts; the defaults when null. <see cref="McpToolProviderOptions.ClientOptions"/> and <see cref="McpToolProviderOptions.StartupTimeout"/> apply to listing the tools only.</param>
    public McpToolProvider(McpClient client, McpToolProviderOptions? options = null)
        : this(options, (client ?? throw new ArgumentNullException(nameof(client))).ServerInfo?.Name ?? "mcp", null, client)
    {
    }

    private McpToolProvider(
        McpToolProviderOptions? options,
        string server,
        Func<ILoggerFactory, CancellationToken, Task<(McpClient Client, IAsyncDisposable? Transport)>>? connect,
        McpClient? client)
    {
        _options = options ?? new McpToolProviderOptions();
        McpToolNames.ValidatePrefix(_options.Prefix);
        ValidateTimeout(_options.StartupTimeout, nameof(McpToolProviderOptions.StartupTimeout));
        ValidateTimeout(_options.CallTimeout, nameof(McpToolProviderOptions.CallTimeout));
        _connect = connect;
        _client = client;
        _server = string.IsNullOrEmpty(server) ? "mcp" : server;
        _loggerFactory = _options.LoggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<McpToolProvider>();
        _connection = new RefCountedResource<McpConnection>(StartAsync, StopAsync);
    }

    /// <summary>Connects to the server unless connected, lists its tools, and leases them until the lease is disposed.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The lease of the tools; the connection closes when the last lease is disposed.</returns>
    /// <exception cref="McpToolProviderException">The server did not start, answer or list its tools within <see cref="McpToolProviderOptions.StartupTimeout"/>, or a tool name cannot be used.</exception>
    /// <exception cref="ObjectDisposedException">The provider was disposed.</exception>
    public async Task<ToolProviderLease> AcquireToolsAsync(CancellationToken cancellationToken = default)
    {
        var (connection, release) = await _connection.AcquireAsync(cancellationToken).ConfigureAwait(false);
        return new ToolProviderLease(connection.Tools, release);
    }

    /// <summary>Closes the connection whatever leases remain (their tools then answer with an error result); nothing starts it again.</summary>
    /// <returns>A task that completes when the connection is closed.</returns>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private static Task<McpClient> ConnectAsync(IClientTransport transport, McpToolProviderOptions? options, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>
        McpClient.CreateAsync(transport, options?.ClientOptions, loggerFactory, cancellationToken);

    private async Task<McpConnection> StartAsync(CancellationToken cancellationToken)
    {
        McpLog.Starting(_logger, _server);
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_options.StartupTimeout != Timeout.InfiniteTimeSpan)
        {
            startup.CancelAfter(_options.StartupTimeout);
        }

        McpConnection? connection = null;
        try
        {
            if (_client is not null)
            {
                connection = new McpConnection(_client, ownsClient: false, null, _server, _options.CallTimeout, _logger);
            }
            else
            {
                var (client, transport) = await _connect!(_loggerFactory, startup.Token).ConfigureAwait(false);
                connection = new McpConnection(client, ownsClient: true, transport, _server, _options.CallTimeout, _logger);
            }

            var listed = await connection.Client.ListToolsAsync(cancellationToken: startup.Token).ConfigureAwait(false);
            connection.Tools = CreateTools(connection, listed);
            return connection;
        }
        catch (Exception ex)
        {
            if (connection is not null)
            {
                try
                {
                    await connection.CloseAsync().ConfigureAwait(false);
                }
                catch (Exception cleanup)
                {
                    McpLog.CleanupFailed(_logger, _server, cleanup);
                }
            }

            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            if (ex is OperationCanceledException)
            {
                throw new McpToolProviderException($"The MCP server '{_server}' did not start and list its tools within {_options.StartupTimeout.TotalSeconds:0.###} s (McpToolProviderOptions.StartupTimeout).", ex);
            }

            if (ex is McpToolProviderException)
            {
                throw;
            }

            throw new McpToolProviderException($"The MCP server '{_server}' failed to start: {ex.Message}", ex);
        }
    }

    private ValueTask StopAsync(McpConnection connection)
    {
        McpLog.Stopping(_logger, _server);
        return connection.CloseAsync();
    }

    private AgentTool[] CreateTools(McpConnection connection, IList<McpClientTool> listed)
    {
        var tools = new List<AgentTool>(listed.Count);

        // The agent's registry takes '-' and '_' as the same character, and so does this check of clashes.
        var normalizedNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var filteredOut = 0;
        foreach (var listedTool in listed)
        {
            var tool = listedTool.ProtocolTool;
            if (_options.ToolFilters is { } filters && !filters.Includes(tool))
            {
                filteredOut++;
                continue;
            }

            var name = McpToolNames.ToAgentName(tool.Name, _options.Prefix, _server);
            if (!normalizedNames.TryAdd(name.Replace('-', '_'), tool.Name))
            {
                throw new McpToolProviderException(
                    $"The tools '{normalizedNames[name.Replace('-', '_')]}' and '{tool.Name}' of MCP server '{_server}' would both be named '{name}' (Bedrock's tool names allow only [a-zA-Z0-9_-], and agents take '-' and '_' alike). "
                    + "Leave one out with McpToolProviderOptions.ToolFilters.Rejected.");
            }

            if (!string.Equals(name, tool.Name, StringComparison.Ordinal))
            {
                McpLog.Renamed(_logger, tool.Name, _server, name);
            }

            tools.Add(new McpAgentTool(connection, tool, name));
        }

        var info = connection.Client.ServerInfo;
        McpLog.Started(_logger, _server, info?.Name ?? "", info?.Version ?? "", tools.Count, filteredOut);
        return [.. tools];
    }

    private static string DescribeEndpoint(Uri? endpoint) =>

        // Scheme, host, port and path only: user information and query strings may hold credentials.
        endpoint is null ? "mcp" : endpoint.IsAbsoluteUri ? $"{endpoint.Scheme}://{endpoint.Authority}{endpoint.AbsolutePath}" : "mcp";

    private static void ValidateTimeout(TimeSpan timeout, string name)
    {
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, timeout, $"{name} must be positive, or Timeout.InfiniteTimeSpan for no limit.");
        }
    }
}
