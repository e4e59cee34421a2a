// Basic usage: the default agent, an agent from a model id, and an agent over a configured BedrockModel.
// Offline by default (scripted responses); pass --live to call Amazon Bedrock.
using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Models;
using Strands.Samples;

await SampleHost.RunAsync(args, async () =>
{
    await using var host = await SampleHost.StartAsync(args,
        FakeResponse.Text("Amazon Bedrock is a fully managed service that offers foundation models through one API."),
        FakeResponse.Text("Amazon Bedrock lets you build generative AI applications without managing infrastructure."),
        FakeResponse.Text("Amazon Bedrock provides models from Amazon, Anthropic, Meta and others."));

    Console.WriteLine("== The default agent (a BedrockModel with BedrockModelConfig.DefaultModelId) ==");
    await DefaultAgent();
    host.ShowRequests("inferenceConfig");

    Console.WriteLine("== An agent from a model id ==");
    await AgentFromModelId();
    host.ShowRequests("inferenceConfig");

    Console.WriteLine("== An agent over a configured BedrockModel ==");
    await ConfiguredModel();
    host.ShowRequests("inferenceConfig");
});

// The default Agent prints the answer as it streams (its PrintingCallbackHandler); InvokeAsync returns the result.
static async Task DefaultAgent()
{
    // <snippet:basic-default>
    var agent = new Agent();

    var response = await agent.InvokeAsync("Tell me about Amazon Bedrock.");
    // </snippet:basic-default>
    Console.WriteLine($"\n(stop reason: {response.StopReason})");
}

static async Task AgentFromModelId()
{
    // <snippet:basic-model-id>
    // Create an agent with a specific model by passing the model id string
    var agent = new Agent("us.anthropic.claude-3-7-sonnet-20250219-v1:0");

    var response = await agent.InvokeAsync("Tell me about Amazon Bedrock.");
    // </snippet:basic-model-id>
    Console.WriteLine($"\n(stop reason: {response.StopReason})");
}

static async Task ConfiguredModel()
{
    // <snippet:basic-configured-model>
    // Create a Bedrock model instance (it owns an HTTP client: dispose it, or keep it for the app's lifetime)
    using var bedrockModel = new BedrockModel(new BedrockModelConfig
    {
        ModelId = "us.amazon.nova-premier-v1:0",
        Temperature = 0.3,
        TopP = 0.8,
    });

    // Create an agent using the BedrockModel instance
    var agent = new Agent(bedrockModel);

    // Use the agent
    var response = await agent.InvokeAsync("Tell me about Amazon Bedrock.");
    // </snippet:basic-configured-model>
    Console.WriteLine($"\n(stop reason: {response.StopReason})");
}
