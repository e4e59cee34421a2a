// The quick start against the packed packages: an agent with a tool on a BedrockModel, answered by the fake Bedrock
// over loopback HTTP (SigV4, event-stream frames). Prints "PACKAGE OK <version>: <answer>", which .ci/pack.sh checks.

using System.ComponentModel;
using System.Reflection;
using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Models;
using Strands.Tools;

await using var server = await FakeBedrockServer.StartAsync();
server.Enqueue(
    FakeResponse.ToolUse("letter_count", """{"word":"Bedrock"}"""),
    FakeResponse.Text("Amazon Bedrock is a fully managed service; its name has 7 letters."));

using var model = new BedrockModel(new BedrockModelConfig { ModelId = "us.anthropic.claude-sonnet-4-20250514-v1:0" }, server.CreateClientOptions());
var agent = new Agent(model, new AgentOptions { CallbackHandler = null, Tools = AgentTool.FromType(typeof(WordTools)) });
AgentResult result = await agent.InvokeAsync("Tell me about Amazon Bedrock.");

var toolResult = server.Requests[^1].ConverseStreamRequest!.Messages![^1].Content[0].ToolResult!.Content[0].Text;
var version = typeof(Agent).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
if (toolResult != "7" || server.Requests.Count != 2 || !server.Requests.All(r => r.IsAuthenticated))
{
    Console.Error.WriteLine($"PACKAGE FAILED: tool result {toolResult}, {server.Requests.Count} requests");
    return 1;
}

Console.WriteLine($"PACKAGE OK {version}: {result}");
return 0;

internal static class WordTools
{
    [Tool, Description("Counts the letters of a word.")]
    public static int LetterCount([Description("The word.")] string word) => word.Count(char.IsLetter);
}
