// Quick start: an agent that streams its answer and uses a tool.
//
//   dotnet run --project samples/QuickStart            offline: a local fake Bedrock plays the model's part
//   dotnet run --project samples/QuickStart -- --live  Amazon Bedrock, with your AWS credentials and region
using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Samples;
using Strands.Tools;

await SampleHost.RunAsync(args, async () =>
{
    // Offline, the model's turns are scripted: it asks for the calculator, then answers with the tool's result.
    // The calculator itself really runs.
    await using var host = await SampleHost.StartAsync(args,
        _ => FakeResponse.ToolUse("calculator", """{"expression":"sqrt(1764)"}"""),
        request => FakeResponse.Text($"The square root of 1764 is {SampleHost.LastToolResult(request)}."));

    // <snippet:quickstart>
    // No callback handler: this loop prints the events itself.
    var agent = new Agent(options: new AgentOptions { CallbackHandler = null, Tools = [BuiltInTools.Calculator] });

    await foreach (var agentEvent in agent.StreamAsync("What is the square root of 1764?"))
    {
        switch (agentEvent)
        {
            case TextDeltaEvent text:
                Console.Write(text.Text);                          // the answer, as it streams in
                break;
            case ToolResultEvent tool:
                Console.WriteLine($"[tool] {tool.ToolUse.Name} {tool.ToolUse.Input} = {tool.Result.Content[0].Text}");
                break;
            case AgentResultEvent done:
                Console.WriteLine($"\n[done] stop reason: {done.Result.StopReason}, tokens: {done.Result.Metrics.AccumulatedUsage.TotalTokens}");
                break;
        }
    }
    // </snippet:quickstart>
});
