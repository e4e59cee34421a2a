using System.Text.Json.Nodes;
using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Content;
using Strands.Mcp;
using Strands.Models;
using Strands.Tests.TestUtilities;
using Strands.Tools;
using static Strands.Tests.TestUtilities.LoopbackAssertions;

namespace Strands.Tests.Mcp;

/// <summary>
/// Agents with the tools of a real MCP server (the test server, as a child process over stdio and over Streamable HTTP
/// on loopback) and a model on the fake Bedrock: each test checks the tool results Bedrock received.
/// </summary>
public sealed class McpAgentTests : McpLoopbackTestBase
{
    [Theory]
    [InlineData(McpTransport.Stdio)]
    [InlineData(McpTransport.Http)]
    public async Task A_tool_round_trip_sends_the_server_answer_to_the_model(McpTransport transport)
    {
        await using var mcp = await ConnectAsync(transport);
        Bedrock.Enqueue(FakeResponse.ToolUse("echo", """{"text":"hello"}""", "tooluse_echo"), FakeResponse.Text("The server said hello."));
        var agent = NewAgent(mcp.Tools);

        var result = await agent.InvokeAsync("Echo hello.");

        Assert.Equal("The server said hello.", result.ToString());
        JsonAssert.Equal(
            Json("""[{"toolResult":{"toolUseId":"tooluse_echo","content":[{"text":"[test-server] hello"}],"status":"success"}}]"""),
            ToolResults());

        // The model saw the server's own specification of the tool.
        var spec = Body(Bedrock.Requests[0])["toolConfig"]!["tools"]!.AsArray().Select(t => t!["toolSpec"]!).Single(s => s!["name"]!.GetValue<string>() == "echo")!;
        JsonAssert.Equal(
            Json("""
                {"name":"echo","description":"Echoes the text back, prefixed with the server's name.",
                 "inputSchema":{"json":{"type":"object","properties":{"text":{"description":"The text to echo.","type":"string"}},"required":["text"]}}}
                """),
            spec);
        AssertHistoryValid(agent.Messages);
    }

    [Theory]
    [InlineData(McpTransport.Stdio)]
    [InlineData(McpTransport.Http)]
    public async Task An_image_result_becomes_an_image_block(McpTransport transport)
    {
        await using var mcp = await ConnectAsync(transport);
        Bedrock.Enqueue(FakeResponse.ToolUse("render_chart", "{}", "tooluse_chart"), FakeResponse.Text("A chart."));
        var agent = NewAgent(mcp.Tools);

        await agent.InvokeAsync("Draw the chart.");

        JsonAssert.Equal(
            Json($$$$"""
                [{"toolResult":{"toolUseId":"tooluse_chart","status":"success","content":[
                   {"text":"Here is the chart."},
                   {"image":{"format":"png","source":{"bytes":"{{{{Convert.ToBase64String(Strands.Bedrock.McpTestServer.TestTools.Png)}}}}"}}}]}}]
                """),
            ToolResults());
    }

    [Theory]
    [InlineData(McpTransport.Stdio)]
    [InlineData(McpTransport.Http)]
    public async Task Structured_content_becomes_one_json_block(McpTransport transport)
    {
        await using var mcp = await ConnectAsync(transport);
        Bedrock.Enqueue(FakeResponse.ToolUse("get_weather", """{"city":"Paris"}""", "tooluse_weather"), FakeResponse.Text("Sunny."));
        var agent = NewAgent(mcp.Tools);

        await agent.InvokeAsync("Weather in Paris?");

        // The server also sent the same JSON as text (for older clients); the model gets it once, as JSON.
        JsonAssert.Equal(
            Json("""
                [{"toolResult":{"toolUseId":"tooluse_weather","status":"success",
                   "content":[{"json":{"city":"Paris","temperatureC":21.5,"conditions":"sunny"}}]}}]
                """),
            ToolResults());
    }

    [Theory]
    [InlineData(McpTransport.Stdio)]
    [InlineData(McpTransport.Http)]
    public async Task An_isError_result_is_an_error_tool_result(McpTransport transport)
    {
        await using var mcp = await ConnectAsync(transport);
        Bedrock.Enqueue(FakeResponse.ToolUse("fail", """{"reason":"disk full"}""", "tooluse_fail"), FakeResponse.Text("It failed."));
        var agent = NewAgent(mcp.Tools);

        var result = await agent.InvokeAsync("Try it.");

        Assert.Equal("It failed.", result.ToString());
        JsonAssert.Equal(
            Json("""[{"toolResult":{"toolUseId":"tooluse_fail","content":[{"text":"Failed: disk full"}],"status":"error"}}]"""),
            ToolResults());
    }

    [Theory]
    [InlineData(McpTransport.Stdio)]
    [InlineData(McpTransport.Http)]
    public async Task Embedded_resources_map_to_text_document_image_and_notes(McpTransport transport)
    {
        await using var mcp = await ConnectAsync(transport);
        Bedrock.Enqueue(FakeResponse.ToolUse("read_resources", "{}", "tooluse_resources"), FakeResponse.Text("Read."));
        var agent = NewAgent(mcp.Tools);

        await agent.InvokeAsync("Read the resources.");

        var png = Convert.ToBase64String(Strands.Bedrock.McpTestServer.TestTools.Png);
        var pdf = Convert.ToBase64String(Strands.Bedrock.McpTestServer.TestTools.Pdf);
        JsonAssert.Equal(
            Json($$$$"""
                [{"toolResult":{"toolUseId":"tooluse_resources","status":"success","content":[
                   {"text":"Meeting notes"},
                   {"document":{"format":"pdf","name":"Q3 report","source":{"bytes":"{{{{pdf}}}}"}}},
                   {"text":"{\"a\":1}"},
                   {"image":{"format":"png","source":{"bytes":"{{{{png}}}}"}}},
                   {"text":"[resource file:///data.bin (application/octet-stream, 4 bytes) omitted: Bedrock tool results have no block for this media type]"},
                   {"text":"Resource link: spec <https://example.com/spec> (text/html): The specification"},
                   {"text":"[audio (audio/wav, 3 bytes) omitted: Bedrock tool results cannot carry audio]"}]}}]
                """),
            ToolResults());
    }

    [Theory]
    [InlineData(McpTransport.Stdio)]
    [InlineData(McpTransport.Http)]
    public async Task A_server_that_dies_mid_call_gives_an_error_result_and_the_loop_goes_on(McpTransport transport)
    {
        await using var mcp = await ConnectAsync(transport);
        Bedrock.Enqueue(
            FakeResponse.ToolUse("crash", "{}", "tooluse_crash"),
            FakeResponse.ToolUse("echo", """{"text":"anyone there?"}""", "tooluse_after"),
            FakeResponse.Text("The server is gone."));
        var agent = NewAgent(mcp.Tools);

        var result = await agent.InvokeAsync("Crash it, then echo.").WaitAsync(TestMcpServer.HangGuard);

        Assert.Equal("The server is gone.", result.ToString());
        Assert.Equal(3, Bedrock.Requests.Count);
        foreach (var (request, id) in new[] { (1, "tooluse_crash"), (2, "tooluse_after") })
        {
            var toolResult = Body(Bedrock.Requests[request])["messages"]!.AsArray()[^1]!["content"]![0]!["toolResult"]!;
            Assert.Equal(id, toolResult["toolUseId"]!.GetValue<string>());
            Assert.Equal("error", toolResult["status"]!.GetValue<string>());
            var text = toolResult["content"]![0]!["text"]!.GetValue<string>();
            var expected = transport == McpTransport.Stdio
                ? "Tool execution failed: the MCP server 'test-server' exited (exit code 137)"
                : "Tool execution failed: the connection to the MCP server '";
            Assert.StartsWith(expected, text, StringComparison.Ordinal);

            // The server's standard error, which the SDK quotes in its exception, is not sent to the model.
            Assert.DoesNotContain("killing the server", text, StringComparison.Ordinal);
        }

        AssertHistoryValid(agent.Messages);
    }

    [Theory]
    [InlineData(McpTransport.Stdio)]
    [InlineData(McpTransport.Http)]
    public async Task Cancelling_the_invocation_cancels_the_MCP_request_and_returns_promptly(McpTransport transport)
    {
        await using var mcp = await ConnectAsync(transport);
        Bedrock.Enqueue(FakeResponse.ToolUse("wait_for_cancel", "{}", "tooluse_wait"));
        var agent = NewAgent(mcp.Tools);
        using var cts = new CancellationTokenSource();

        var run = agent.InvokeAsync("Wait.", cts.Token);
        await mcp.Server.WaitForStderrAsync("wait_for_cancel started");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TestMcpServer.HangGuard));

        // The server saw notifications/cancelled: its handler's token fired.
        await mcp.Server.WaitForStderrAsync("wait_for_cancel cancelled");
        AssertHistoryValid(agent.Messages);

        // The connection survives the cancelled request.
        Bedrock.Enqueue(FakeResponse.ToolUse("echo", """{"text":"still here"}""", "tooluse_echo"), FakeResponse.Text("Still here."));
        await agent.InvokeAsync("Echo.");
        JsonAssert.Equal(
            Json("""[{"toolResult":{"toolUseId":"tooluse_echo","content":[{"text":"[test-server] still here"}],"status":"success"}}]"""),
            Body(Bedrock.Requests[^1])["messages"]!.AsArray()[^1]!["content"]);
    }

    [Theory]
    [InlineData(McpTransport.Stdio)]
    [InlineData(McpTransport.Http)]
    public async Task A_call_past_the_call_timeout_is_cancelled_on_the_server_and_gives_an_error_result(McpTransport transport)
    {
        await using var mcp = await ConnectAsync(transport, new McpToolProviderOptions { CallTimeout = TimeSpan.FromMilliseconds(500) });
        Bedrock.Enqueue(FakeResponse.ToolUse("wait_for_cancel", "{}", "tooluse_wait"), FakeResponse.Text("It took too long."));
        var agent = NewAgent(mcp.Tools);

        var result = await agent.InvokeAsync("Wait.").WaitAsync(TestMcpServer.HangGuard);

        Assert.Equal("It took too long.", result.ToString());
        JsonAssert.Equal(
            Json("""
                [{"toolResult":{"toolUseId":"tooluse_wait","status":"error",
                   "content":[{"text":"Tool execution failed: the MCP server 'test-server' did not answer within 0.5 s."}]}}]
                """
                .Replace("test-server", transport == McpTransport.Stdio ? "test-server" : mcp.Server.Endpoint!.ToString(), StringComparison.Ordinal)),
            ToolResults());
        await mcp.Server.WaitForStderrAsync("wait_for_cancel cancelled");
    }

    [Theory]
    [InlineData(McpTransport.Stdio)]
    [InlineData(McpTransport.Http)]
    public async Task Two_servers_with_the_same_tool_name_work_side_by_side_under_different_prefixes(McpTransport transport)
    {
        await using var alpha = await ConnectAsync(transport, new McpToolProviderOptions { Prefix = "alpha" }, "--name", "alpha");
        await using var beta = await ConnectAsync(transport, new McpToolProviderOptions { Prefix = "beta" }, "--name", "beta");
        Bedrock.Enqueue(
            FakeResponse.Blocks(
                FakeBlocks.ToolUse("alpha_echo", """{"text":"hi"}""", "tooluse_alpha"),
                FakeBlocks.ToolUse("beta_echo", """{"text":"hi"}""", "tooluse_beta")),
            FakeResponse.Text("Both answered."));
        var agent = NewAgent([.. alpha.Tools, .. beta.Tools]);

        await agent.InvokeAsync("Ask both servers.");

        JsonAssert.Equal(
            Json("""
                [{"toolResult":{"toolUseId":"tooluse_alpha","content":[{"text":"[alpha] hi"}],"status":"success"}},
                 {"toolResult":{"toolUseId":"tooluse_beta","content":[{"text":"[beta] hi"}],"status":"success"}}]
                """),
            ToolResults());
        var names = Body(Bedrock.Requests[0])["toolConfig"]!["tools"]!.AsArray().Select(t => t!["toolSpec"]!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("alpha_echo", names);
        Assert.Contains("beta_echo", names);
        Assert.Contains("alpha_math_add", names);
        Assert.DoesNotContain("echo", names);

        // Without prefixes the agent refuses the second "echo".
        await using var alphaPlain = alpha.Server.CreateProvider();
        await using var betaPlain = beta.Server.CreateProvider();
        await using var alphaPlainTools = await alphaPlain.AcquireToolsAsync();
        await using var betaPlainTools = await betaPlain.AcquireToolsAsync();
        var clash = Assert.Throws<ArgumentException>(() => NewAgent([.. alphaPlainTools.Tools, .. betaPlainTools.Tools]));
        Assert.Contains("already exists", clash.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(McpTransport.Stdio)]
    [InlineData(McpTransport.Http)]
    public async Task Two_agents_share_one_provider_and_one_keeps_working_after_the_other_lets_go(McpTransport transport)
    {
        await using var mcp = await ConnectAsync(transport);
        await using var secondLease = await mcp.Provider.AcquireToolsAsync();
        var first = NewAgent(mcp.Tools);
        var second = NewAgent(secondLease.Tools);

        Bedrock.Enqueue(FakeResponse.ToolUse("echo", """{"text":"first"}""", "tooluse_1"), FakeResponse.Text("One."));
        await first.InvokeAsync("Echo first.");
        await mcp.Lease.DisposeAsync();
        Bedrock.Enqueue(FakeResponse.ToolUse("echo", """{"text":"second"}""", "tooluse_2"), FakeResponse.Text("Two."));
        await second.InvokeAsync("Echo second.");

        JsonAssert.Equal(
            Json("""[{"toolResult":{"toolUseId":"tooluse_1","content":[{"text":"[test-server] first"}],"status":"success"}}]"""),
            ToolResults(1));
        JsonAssert.Equal(
            Json("""[{"toolResult":{"toolUseId":"tooluse_2","content":[{"text":"[test-server] second"}],"status":"success"}}]"""),
            ToolResults(3));
    }

    [Theory]
    [InlineData(McpTransport.Stdio)]
    [InlineData(McpTransport.Http)]
    public async Task A_tool_name_Bedrock_rejects_is_renamed_and_called_by_its_server_name(McpTransport transport)
    {
        await using var mcp = await ConnectAsync(transport);
        Bedrock.Enqueue(FakeResponse.ToolUse("math_add", """{"a":2,"b":3}""", "tooluse_add"), FakeResponse.Text("5."));
        var agent = NewAgent(mcp.Tools);

        await agent.InvokeAsync("2 + 3?");

        Assert.Contains("math_add", mcp.Tools.Select(t => t.Name));
        Assert.DoesNotContain("math.add", mcp.Tools.Select(t => t.Name));
        JsonAssert.Equal(
            Json("""[{"toolResult":{"toolUseId":"tooluse_add","content":[{"text":"5"}],"status":"success"}}]"""),
            ToolResults());
    }
}
