using System.Diagnostics;
using System.Threading.Channels;
using ModelContextProtocol.Client;
using Strands.Mcp;

namespace Strands.Tests.Mcp;

/// <summary>How a test reaches the MCP test server.</summary>
public enum McpTransport
{
    /// <summary>The provider starts the server as its child process and speaks MCP on its stdin/stdout.</summary>
    Stdio,

    /// <summary>The test starts the server as a process serving Streamable HTTP on 127.0.0.1; the provider connects to it.</summary>
    Http,
}

/// <summary>
/// The MCP test server (tests/Strands.Bedrock.McpTestServer, whose build output is copied beside the tests) for one
/// test: over stdio, the provider launches it at each start; over HTTP, this class launches it on a free loopback port
/// and stops it when disposed. Either way the test sees its standard error lines, where the server marks what it does.
/// </summary>
public sealed class TestMcpServer : IAsyncDisposable
{
    /// <summary>Only bounds a wait that a correct implementation always ends; it fails a broken one instead of hanging the run.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private static readonly string ServerDll = Path.Combine(AppContext.BaseDirectory, "Strands.Bedrock.McpTestServer.dll");

    private readonly Channel<string> _stderr = Channel.CreateUnbounded<string>();
    private readonly List<string> _stderrSeen = [];
    private readonly string[] _arguments;
    private Process? _process;

    private TestMcpServer(McpTransport transport, string[] arguments)
    {
        Transport = transport;
        _arguments = arguments;
    }

    public McpTransport Transport { get; }

    /// <summary>The Streamable HTTP endpoint (HTTP only).</summary>
    public Uri? Endpoint { get; private set; }

    /// <summary>The .NET host that runs the tests, to run the server with.</summary>
    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>Prepares (stdio) or starts (HTTP) the server with the given command-line options.</summary>
    public static async Task<TestMcpServer> StartAsync(McpTransport transport, params string[] arguments)
    {
        Assert.True(File.Exists(ServerDll), $"The MCP test server is not beside the tests: {ServerDll}");
        var server = new TestMcpServer(transport, arguments);
        if (transport == McpTransport.Http)
        {
            await server.LaunchHttpAsync();
        }

        return server;
    }

    /// <summary>A provider of this server's tools.</summary>
    public McpToolProvider CreateProvider(McpToolProviderOptions? options = null) => Transport switch
    {
        McpTransport.Stdio => new McpToolProvider(StdioOptions(), options),
        _ => new McpToolProvider(new HttpClientTransportOptions { Endpoint = Endpoint!, TransportMode = HttpTransportMode.StreamableHttp }, options),
    };

    /// <summary>How to launch the server over stdio.</summary>
    public StdioClientTransportOptions StdioOptions() => new()
    {
        Command = DotnetHost,
        Arguments = [ServerDll, .. _arguments],
        Name = "test-server",
        StandardErrorLines = line => _stderr.Writer.TryWrite(line),
    };

    /// <summary>Waits for a standard error line that starts with <paramref name="prefix"/>, and returns it.</summary>
    public async Task<string> WaitForStderrAsync(string prefix)
    {
        lock (_stderrSeen)
        {
            var index = _stderrSeen.FindIndex(l => l.StartsWith(prefix, StringComparison.Ordinal));
            if (index >= 0)
            {
                var seen = _stderrSeen[index];
                _stderrSeen.RemoveAt(index);
                return seen;
            }
        }

        using var timeout = new CancellationTokenSource(HangGuard);
        try
        {
            while (true)
            {
                var line = await _stderr.Reader.ReadAsync(timeout.Token);
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line;
                }

                lock (_stderrSeen)
                {
                    _stderrSeen.Add(line);
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The MCP test server wrote no line starting with '{prefix}' within {HangGuard}.");
        }
    }

    /// <summary>The process id the server reported at its start ("started pid=N").</summary>
    public async Task<int> WaitForStartAsync() => int.Parse((await WaitForStderrAsync("started pid="))["started pid=".Length..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Waits until the process exits.</summary>
    public static async Task WaitForExitAsync(int processId)
    {
        Process process;
        try
        {
            process = Process.GetProcessById(processId);
        }
        catch (ArgumentException)
        {
            return; // Already gone.
        }

        using (process)
        {
            await process.WaitForExitAsync().WaitAsync(HangGuard);
        }
    }

    /// <summary>Whether a process with this id is running.</summary>
    public static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        using (process)
        {
            if (!process.HasExited)
            {
                // Closing stdin asks the HTTP server to stop; a server that does not is killed.
                process.StandardInput.Close();
                try
                {
                    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
                }
                catch (TimeoutException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
        }
    }

    private async Task LaunchHttpAsync()
    {
        var start = new ProcessStartInfo(DotnetHost, [ServerDll, "--http", .. _arguments])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("The MCP test server did not start.");
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                _stderr.Writer.TryWrite(line);
            }
        };
        _process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(HangGuard);
        var line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null || !line.StartsWith("MCP_ENDPOINT ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The MCP test server did not report its endpoint: '{line}'.");
        }

        Endpoint = new Uri(line["MCP_ENDPOINT ".Length..]);
    }
}
