// MCP tools: the tools of any Model Context Protocol server in an agent. The agent starts the server (here over
// stdio) on its first invocation, offers its tools to the model under a prefix, and lets go of it when disposed.
// Offline by default (scripted responses); pass --live to call Amazon Bedrock. The MCP server is real either way: this
// program started again with --mcp-server (WeatherServer.cs).
using ModelContextProtocol.Client;
using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Mcp;
using Strands.Samples;

if (args.Contains("--mcp-server"))
{
    await WeatherServer.RunAsync();
    return;
}

await SampleHost.RunAsync(args, async () =>
{
    await using var host = await SampleHost.StartAsync(args,
        _ => FakeResponse.ToolUse("weather_get_forecast", """{"city":"Seattle"}"""),
        request => FakeResponse.Text($"Tomorrow in Seattle: {SampleHost.LastToolResult(request)}"));

    // <snippet:mcp-tools>
    await using var weather = new McpToolProvider(
        new StdioClientTransportOptions { Command = SelfCommand.Path, Arguments = [.. SelfCommand.Arguments, "--mcp-server"] },
        new McpToolProviderOptions { Prefix = "weather" });

    await using var agent = new Agent(options: new AgentOptions { ToolProviders = [weather] });

    var result = await agent.InvokeAsync("What's the weather going to be like in Seattle tomorrow?");
    // </snippet:mcp-tools>
    Console.WriteLine();
    Console.WriteLine($"tools: {string.Join(", ", agent.ToolNames)}");
    host.ShowRequests("toolConfig");
});
