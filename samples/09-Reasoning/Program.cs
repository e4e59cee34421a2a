// Reasoning (extended thinking): the model thinks before it answers, and the agent keeps the reasoning, with its
// signature, in the history. Offline by default (scripted responses); pass --live to call Amazon Bedrock.
using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Content;
using Strands.Models;
using Strands.Samples;

const string Thinking = "Time = distance / speed = 450 km / 120 km/h = 3.75 h, that is 3 hours and 45 minutes.";
await SampleHost.RunAsync(args, async () =>
{
    await using var host = await SampleHost.StartAsync(args,
        FakeResponse.Reasoning(Thinking, "The journey takes 3.75 hours: 3 hours and 45 minutes."),
        FakeResponse.Reasoning(Thinking, "3 hours and 45 minutes."));

    Console.WriteLine("== Through additional request fields, as in the Python docs ==");
    // <snippet:reasoning>
    // Create a Bedrock model with reasoning configuration
    using var bedrockModel = new BedrockModel(new BedrockModelConfig
    {
        ModelId = "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
        AdditionalRequestFields = JsonValues.Parse("""
            {
                "thinking": {
                    "type": "enabled",
                    "budget_tokens": 4096
                }
            }
            """), // budget_tokens: minimum of 1,024
    });

    // Create an agent with the reasoning-enabled model
    var agent = new Agent(bedrockModel);

    // Ask a question that requires reasoning
    var response = await agent.InvokeAsync("If a train travels at 120 km/h and needs to cover 450 km, how long will the journey take?");
    // </snippet:reasoning>
    Console.WriteLine();
    host.ShowRequests("additionalModelRequestFields");
    PrintReasoning(response);

    Console.WriteLine("== Through ReasoningConfig, the typed equivalent ==");
    // <snippet:reasoning-config>
    using var reasoningModel = new BedrockModel(new BedrockModelConfig
    {
        ModelId = "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
        Reasoning = new ReasoningConfig { BudgetTokens = 4096 }, // sent as the same "thinking" field
    });
    // </snippet:reasoning-config>
    var reasoningResponse = await new Agent(reasoningModel).InvokeAsync("And at 150 km/h?");
    Console.WriteLine();
    host.ShowRequests("additionalModelRequestFields");
    PrintReasoning(reasoningResponse);
});

// The default callback handler streamed the reasoning and the answer together; the message keeps them apart.
static void PrintReasoning(AgentResult result)
{
    foreach (var block in result.Message.Content)
    {
        if (block.ReasoningContent?.ReasoningText is { } reasoning)
        {
            Console.WriteLine($"reasoning: {reasoning.Text}");
            Console.WriteLine($"signature: {reasoning.Signature}");
        }
        else if (block.Text is { } text)
        {
            Console.WriteLine($"answer: {text}");
        }
    }
}
