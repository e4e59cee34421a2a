using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Content;
using Strands.Tools;

namespace Strands.Tests.Mcp;

/// <summary>
/// An MCP server given to an agent as a tool provider: started on the agent's first invocation, its tools beside the
/// agent's own, released when the agent is disposed (and stopped when no agent holds it any more).
/// </summary>
public sealed class McpAgentLifetimeTests : McpLoopbackTestBase
{
    private Agent NewAgent(IToolProvider provider, params AgentTool[] tools)
        => new(Model, new AgentOptions { CallbackHandler = null, Tools = tools, ToolProviders = [provider] });

    [Fact]
    public async Task The_server_starts_on_the_first_invocation_and_stops_when_the_agent_is_disposed()
    {
        await using var server = await TestMcpServer.StartAsync(McpTransport.Stdio);
        await using var provider = server.CreateProvider();
        var agent = NewAgent(provider);
        var started = server.WaitForStartAsync();
        await Task.Delay(300);
        Assert.False(started.IsCompleted);
        Assert.DoesNotContain("echo", agent.ToolNames);

        Bedrock.Enqueue(FakeResponse.ToolUse("echo", """{"text":"hello"}""", "tooluse_echo"), FakeResponse.Text("It said hello."));
        var result = await agent.InvokeAsync("Echo hello.");

        Assert.Equal("It said hello.", result.ToString());
        var pid = await started;
        Assert.Contains("echo", agent.ToolNames);
        Assert.Equal("[test-server] hello", agent.Messages[2].Content[0].ToolResult!.Content[0].Text);

        await agent.DisposeAsync();
        await TestMcpServer.WaitForExitAsync(pid);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => agent.InvokeAsync("Again?"));
    }

    [Fact]
    public async Task Agents_sharing_a_provider_share_one_server_until_the_last_is_disposed()
    {
        await using var server = await TestMcpServer.StartAsync(McpTransport.Stdio);
        await using var provider = server.CreateProvider();
        var first = NewAgent(provider);
        var second = NewAgent(provider);

        await first.InitializeAsync();
        await second.InitializeAsync();
        var pid = await server.WaitForStartAsync();
        await first.DisposeAsync();
        Assert.True(TestMcpServer.IsRunning(pid));

        var direct = await second.Tool["echo"].InvokeAsync(JsonValues.Parse("""{"text":"still here"}"""));
        Assert.Equal("[test-server] still here", direct.Content[0].Text);

        await second.DisposeAsync();
        await TestMcpServer.WaitForExitAsync(pid);
    }

    [Fact]
    public async Task A_provider_tool_named_like_an_agent_tool_fails_the_invocation_and_leaves_the_history_alone()
    {
        await using var server = await TestMcpServer.StartAsync(McpTransport.Stdio);
        await using var provider = server.CreateProvider();
        await using var agent = NewAgent(provider, AgentTool.FromMethod((string text) => text, "echo", "A local echo."));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => agent.InvokeAsync("Echo hello."));

        Assert.Contains("echo", error.Message, StringComparison.Ordinal);
        Assert.Empty(agent.Messages);
        Assert.Empty(Bedrock.Requests);
        Assert.Equal(["echo"], agent.ToolNames);
    }
}
