// A Microsoft Agent Framework agent on Amazon Bedrock: ChatClientAgent takes any IChatClient, and
// BedrockModel.AsIChatClient() is one. The agent runs the tool loop itself and keeps the conversation in a session.
//
//   dotnet run --project samples/Interop.AgentFramework            # offline, against FakeBedrockServer
//   dotnet run --project samples/Interop.AgentFramework -- --live  # Amazon Bedrock (AWS_REGION, AWS credentials)
//
// Prints "Agent Framework answer: ..." for each of two turns.

using System.ComponentModel;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Strands.Bedrock.Testing;
using Strands.Models;
using Strands.Samples;

var live = args.Contains("--live");

await SampleHost.RunAsync(args, async () =>
{
    // Offline, the fake Bedrock answers over loopback HTTP: a tool use, then an answer quoting the tool result; on the
    // second turn it answers from the conversation the session sent along.
    await using var fake = live ? null : await FakeBedrockServer.StartAsync();
    fake?.RespondWith(request =>
    {
        var messages = request.ConverseStreamRequest?.Messages ?? [];
        var result = messages[^1].Content.Select(c => c.ToolResult).FirstOrDefault(r => r is not null);
        if (result is not null)
        {
            return FakeResponse.Text($"There are {result.Content[0].Text} units of A-1 in stock.");
        }

        return messages.Count == 1
            ? FakeResponse.ToolUse("stock_level", """{"sku":"A-1"}""")
            : FakeResponse.Text($"You asked about A-1; this conversation has {messages.Count} messages so far.");
    });

    using var model = new BedrockModel(new BedrockModelConfig { ModelId = "us.amazon.nova-premier-v1:0" }, fake?.CreateClientOptions());

    var stockLevel = AIFunctionFactory.Create(
        ([Description("The product's SKU.")] string sku) => sku == "A-1" ? 42 : 0,
        "stock_level",
        "Returns how many units of a product are in stock.");

    AIAgent agent = new ChatClientAgent(
        model.AsIChatClient(),
        instructions: "You answer questions about the stock of our shop.",
        name: "stock-agent",
        tools: [stockLevel]);

    AgentSession session = await agent.CreateSessionAsync();
    AgentResponse first = await agent.RunAsync("How many A-1 are left?", session);
    Console.WriteLine($"Agent Framework answer: {first.Text}");

    AgentResponse second = await agent.RunAsync("Which product did I ask about?", session);
    Console.WriteLine($"Agent Framework answer: {second.Text}");
});
