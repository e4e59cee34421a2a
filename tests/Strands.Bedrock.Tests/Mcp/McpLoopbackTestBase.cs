using System.Text.Json.Nodes;
using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Mcp;
using Strands.Models;
using Strands.Tools;
using static Strands.Tests.TestUtilities.LoopbackAssertions;

namespace Strands.Tests.Mcp;

/// <summary>What the MCP tests share: the fake Bedrock on loopback, a model on it, and a connected test server.</summary>
public abstract class McpLoopbackTestBase : IAsyncLifetime
{
    protected FakeBedrockServer Bedrock { get; private set; } = null!;

    protected BedrockModel Model { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Bedrock = await FakeBedrockServer.StartAsync();
        Model = new BedrockModel(new BedrockModelConfig { ModelId = "us.anthropic.claude-sonnet-4-20250514-v1:0" }, Bedrock.CreateClientOptions(maxAttempts: 1));
    }

    public async Task DisposeAsync()
    {
        Model.Dispose();
        await Bedrock.DisposeAsync();
    }

    /// <summary>Starts the test server, and leases its tools from a new provider.</summary>
    protected static async Task<ConnectedServer> ConnectAsync(McpTransport transport, McpToolProviderOptions? options = null, params string[] arguments)
    {
        var server = await TestMcpServer.StartAsync(transport, arguments);
        var provider = server.CreateProvider(options);
        try
        {
            return new ConnectedServer(server, provider, await provider.AcquireToolsAsync());
        }
        catch
        {
            await provider.DisposeAsync();
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>An agent on the fake Bedrock with these tools.</summary>
    protected Agent NewAgent(IEnumerable<AgentTool> tools) => new(Model, new AgentOptions { CallbackHandler = null, Tools = tools });

    /// <summary>The content of the last message of a request the fake received: the tool results of the turn before.</summary>
    protected JsonNode ToolResults(int request = 1) => Body(Bedrock.Requests[request])["messages"]!.AsArray()[^1]!["content"]!;

    protected static JsonNode Json(string text) => JsonNode.Parse(text)!;

    /// <summary>A test server, a provider of its tools and a lease of them; disposed in reverse order.</summary>
    protected sealed record ConnectedServer(TestMcpServer Server, McpToolProvider Provider, ToolProviderLease Lease) : IAsyncDisposable
    {
        public IReadOnlyList<AgentTool> Tools => Lease.Tools;

        public async ValueTask DisposeAsync()
        {
            await Lease.DisposeAsync();
            await Provider.DisposeAsync();
            await Server.DisposeAsync();
        }
    }
}
