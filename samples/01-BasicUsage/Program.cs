// Basic usage: the default agent, an agent from a model id, and an agent over a configured BedrockModel.
// Offline by default (scripted responses); pass --live to call Amazon Bedrock.
using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Models;
using Strands.Samples;

await using var host = await SampleHost.StartAsync(args,
    FakeResponse.Text("Amazon Bedrock is a fully managed service that offers foundation models through one API."),
    FakeResponse.Text("Amazon Bedrock lets you build generative AI applications without managing infrastructure."),
    FakeResponse.Text("Amazon Bedrock provides models from Amazon, Anthropic, Meta and others."),
    FakeResponse.Text("Answered by the in-region model, without an inference profile."));

Console.WriteLine("== The default agent (a BedrockModel with BedrockModelConfig.DefaultModelId) ==");
await DefaultAgent();
host.ShowRequests("inferenceConfig");

Console.WriteLine("== An agent from a model id ==");
await AgentFromModelId();
host.ShowRequests("inferenceConfig");

Console.WriteLine("== An agent over a configured BedrockModel ==");
await ConfiguredModel();
host.ShowRequests("inferenceConfig");

// "The provided model identifier is invalid": the region does not support the inference profile (us., eu., ...);
// use the model's own id. "On-demand throughput isn't supported": the other way round, add the profile prefix.
Console.WriteLine("== A model id without an inference profile prefix ==");
await InRegionModelId();
host.ShowRequests();

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
    var agent = new Agent("anthropic.claude-sonnet-4-20250514-v1:0");

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

static async Task InRegionModelId()
{
    // <snippet:basic-in-region-model-id>
    var agent = new Agent("anthropic.claude-3-5-sonnet-20241022-v2:0");
    // </snippet:basic-in-region-model-id>
    var response = await agent.InvokeAsync("Tell me about Amazon Bedrock.");
    Console.WriteLine($"\n(stop reason: {response.StopReason})");
}
