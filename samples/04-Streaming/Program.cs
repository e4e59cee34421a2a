// Streaming vs non-streaming: ConverseStream (the default) or Converse. Some Bedrock models support tool use only
// without streaming. Both modes give the agent the same events: a Converse response is turned into the events
// ConverseStream would have sent. Offline by default (scripted responses); pass --live to call Amazon Bedrock.
using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Models;
using Strands.Samples;

await SampleHost.RunAsync(args, async () =>
{
    await using var host = await SampleHost.StartAsync(args,
        FakeResponse.Text("Streaming sends the answer in pieces as it is generated."),
        FakeResponse.Text("Without streaming, the whole answer arrives at once."));

    // <snippet:streaming>
    // Streaming model (default)
    using var streamingModel = new BedrockModel(new BedrockModelConfig
    {
        ModelId = "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
        Streaming = true, // This is the default
    });

    // Non-streaming model
    using var nonStreamingModel = new BedrockModel(new BedrockModelConfig
    {
        ModelId = "us.meta.llama3-2-90b-instruct-v1:0",
        Streaming = false, // Disable streaming
    });
    // </snippet:streaming>

    foreach (var (mode, model) in new[] { ("streaming", streamingModel), ("non-streaming", nonStreamingModel) })
    {
        Console.WriteLine($"== {mode} ==");
        var eventTypes = new List<string>();
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null });
        await foreach (var agentEvent in agent.StreamAsync("How does streaming differ?"))
        {
            switch (agentEvent)
            {
                case TextDeltaEvent text:
                    Console.Write(text.Text);
                    break;
                case ModelStreamEvent { Event: var streamEvent } when eventTypes.LastOrDefault() != streamEvent.EventType:
                    eventTypes.Add(streamEvent.EventType); // the Converse events the model yielded, repeats collapsed
                    break;
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{mode} events: {string.Join(" > ", eventTypes)}");
        host.ShowRequests();
    }
});
