// Updating the model configuration at runtime: from your code between calls, and from tools the model calls
// mid-conversation. Every change applies from the next request. Offline by default (scripted responses); pass
// --live to call Amazon Bedrock.
using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Models;
using Strands.Samples;
using Strands.Tools;

await SampleHost.RunAsync(args, async () =>
{
    await using var host = await SampleHost.StartAsync(args,
        FakeResponse.Text("A warm answer."),
        FakeResponse.Text("A cooler, more focused answer."),
        // The model asks for both tools, one after the other, then answers on the new model.
        FakeResponse.ToolUse("update_model_id", """{"modelId":"us.amazon.nova-premier-v1:0"}"""),
        FakeResponse.ToolUse("update_temperature", """{"temperature":0.2}"""),
        FakeResponse.Text("Now answering from Nova Premier at temperature 0.2."));

    Console.WriteLine("== From your code ==");
    // <snippet:runtime-create-model>
    // Create the model with initial configuration
    using var bedrockModel = new BedrockModel(new BedrockModelConfig
    {
        ModelId = "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
        Temperature = 0.7,
    });
    // </snippet:runtime-create-model>
    var agent = new Agent(bedrockModel);
    await agent.InvokeAsync("Describe the sea.");
    Console.WriteLine();

    // <snippet:runtime-update-config>
    // Update configuration later: the config is an immutable record, changed with `with`
    bedrockModel.UpdateConfig(c => c with
    {
        Temperature = 0.3,
        TopP = 0.2,
    });
    // </snippet:runtime-update-config>
    await agent.InvokeAsync("Describe the sea again.");
    Console.WriteLine();
    host.ShowRequests("inferenceConfig");

    Console.WriteLine("== From tools ==");
    // The tools get the agent injected (an Agent parameter, left out of the tool's input schema).
    var toolAgent = new Agent(options: new AgentOptions { Tools = AgentTool.FromType(typeof(ConfigTools)) });
    await toolAgent.InvokeAsync("Switch to Nova Premier, and lower the temperature to 0.2.");
    Console.WriteLine();
    host.ShowRequests("inferenceConfig");
    Console.WriteLine($"model now: {toolAgent.Model.Config.ModelId}, temperature {toolAgent.Model.Config.Temperature}");
});
