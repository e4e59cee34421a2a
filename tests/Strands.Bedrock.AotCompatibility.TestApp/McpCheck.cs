using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;
using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Mcp;
using Strands.Models;

namespace Strands.AotCompatibility.TestApp;

/// <summary>
/// MCP tools under Native AOT, end to end: an agent on the fake Bedrock (in this process) calls the tools of the MCP
/// test server, started over stdio and over Streamable HTTP, and prints the tool results Bedrock received.
/// Run: Strands.Bedrock.AotCompatibility.TestApp --mcp path/to/Strands.Bedrock.McpTestServer.dll
/// </summary>
internal static class McpCheck
{
    public static async Task<int> RunAsync(string serverDll)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        await using var bedrock = await FakeBedrockServer.StartAsync();
        using var model = new BedrockModel(new BedrockModelConfig { ModelId = "us.anthropic.claude-sonnet-4-20250514-v1:0" }, bedrock.CreateClientOptions(maxAttempts: 1));

        await using (var stdio = new McpToolProvider(new StdioClientTransportOptions { Command = dotnet, Arguments = [serverDll], Name = "stdio" }))
        {
            await RoundTripAsync("stdio", stdio, bedrock, model);
        }

        using var server = Process.Start(new ProcessStartInfo(dotnet, [serverDll, "--http"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true })!;
        try
        {
            var endpoint = (await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)))!["MCP_ENDPOINT ".Length..];
            await using var http = new McpToolProvider(new HttpClientTransportOptions { Endpoint = new Uri(endpoint), Name = "http" });
            await RoundTripAsync("http", http, bedrock, model);
        }
        finally
        {
            server.StandardInput.Close();
            if (!server.WaitForExit(5_000))
            {
                server.Kill(entireProcessTree: true);
            }
        }

        return 0;
    }

    /// <summary>echo, get_weather (structured content) and render_chart (an image) in one turn, then an answer.</summary>
    private static async Task RoundTripAsync(string transport, McpToolProvider provider, FakeBedrockServer bedrock, BedrockModel model)
    {
        await using var lease = await provider.AcquireToolsAsync();
        bedrock.Reset();
        bedrock.Enqueue(
            FakeResponse.Blocks(
                FakeBlocks.ToolUse("echo", """{"text":"aot"}""", "t1"),
                FakeBlocks.ToolUse("get_weather", """{"city":"Oslo"}""", "t2"),
                FakeBlocks.ToolUse("render_chart", "{}", "t3")),
            FakeResponse.Text("Done."));
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, Tools = lease.Tools });
        await agent.InvokeAsync("Use the tools.");

        using var body = JsonDocument.Parse(bedrock.Requests[1].Body);
        var results = new StringBuilder();
        foreach (var block in body.RootElement.GetProperty("messages")[2].GetProperty("content").EnumerateArray())
        {
            var result = block.GetProperty("toolResult");
            var content = result.GetProperty("content").EnumerateArray()
                .Select(c => c.TryGetProperty("text", out var text) ? $"text:{text.GetString()}"
                    : c.TryGetProperty("json", out var json) ? $"json:{json.GetRawText()}"
                    : c.TryGetProperty("image", out var image) ? $"image:{image.GetProperty("format").GetString()}"
                    : "other");
            results.Append(' ').Append(result.TryGetProperty("status", out var status) ? status.GetString() : "-").Append('[').AppendJoin(',', content).Append(']');
        }

        Console.WriteLine($"MCP {transport}:{results}");
    }
}
