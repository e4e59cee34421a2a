// Guardrails: a Bedrock guardrail on the model, and how the agent redacts what the guardrail blocked, in its
// history, so that blocked content is not sent again on the next turn.
// Offline by default (scripted responses); pass --live to call Amazon Bedrock with a guardrail of yours: set
// GUARDRAIL_ID (and GUARDRAIL_VERSION, DRAFT when unset), which replace the documentation's placeholders.
using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Content;
using Strands.Models;
using Strands.Samples;

await SampleHost.RunAsync(args, async () =>
{
    // Offline, the fake plays a guardrail that blocks the first prompt (an input assessment), then the second answer
    // (an output assessment); as the service does, it returns the guardrail's own blocked message as the text.
    await using var host = await SampleHost.StartAsync(args,
        FakeResponse.Text("Sorry, I cannot discuss that topic.").WithGuardrailBlock(input: true, output: false),
        FakeResponse.Text("Sorry, the model cannot answer this question.").WithGuardrailBlock(input: false, output: true));

    // <snippet:guardrails>
    // Using guardrails with BedrockModel
    using var bedrockModel = new BedrockModel(new BedrockModelConfig
    {
        ModelId = "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
        Guardrail = new GuardrailConfig
        {
            Id = "your-guardrail-id",
            Version = "DRAFT",
            Trace = GuardrailTrace.Enabled,                             // Enabled, Disabled or EnabledFull
            StreamProcessingMode = GuardrailStreamProcessingMode.Sync,  // Sync or Async
            RedactInput = true,                                         // Default: true
            RedactInputMessage = "Blocked Input!",                      // Default: [User input redacted.]
            RedactOutput = false,                                       // Default: false
            RedactOutputMessage = "Blocked Output!",                    // Default: [Assistant output redacted.]
        },
    });
    // </snippet:guardrails>

    // "your-guardrail-id" is the page's placeholder, which Bedrock (and so the offline fake) rejects: a guardrail id is
    // lowercase letters and digits (or an ARN). Live, GUARDRAIL_ID names a guardrail of yours; offline, a made-up one.
    if (host.IsLive)
    {
        if (Environment.GetEnvironmentVariable("GUARDRAIL_ID") is not { Length: > 0 } guardrailId)
        {
            Console.WriteLine("Not sent: \"your-guardrail-id\" is a placeholder. Set GUARDRAIL_ID (and GUARDRAIL_VERSION) to a guardrail of yours.");
            return;
        }

        var guardrailVersion = Environment.GetEnvironmentVariable("GUARDRAIL_VERSION") is { Length: > 0 } version ? version : "DRAFT";
        bedrockModel.UpdateConfig(c => c with { Guardrail = c.Guardrail! with { Id = guardrailId, Version = guardrailVersion } });
    }
    else
    {
        bedrockModel.UpdateConfig(c => c with { Guardrail = c.Guardrail! with { Id = "a1b2c3d4e5f6" } });
    }

    // <snippet:guardrails-agent>
    var guardrailAgent = new Agent(bedrockModel);

    var response = await guardrailAgent.InvokeAsync("Can you tell me about the Strands SDK?");
    // </snippet:guardrails-agent>
    Console.WriteLine($"\n(stop reason: {response.StopReason})");
    host.ShowRequests("guardrailConfig");
    PrintHistory(guardrailAgent);

    Console.WriteLine("== With output redaction on ==");
    // <snippet:guardrails-redact-output>
    // Redaction is source-aware: the input is replaced only when the guardrail blocked the input, the answer only
    // when it blocked the output (and RedactOutput is on)
    bedrockModel.UpdateConfig(c => c with { Guardrail = c.Guardrail! with { RedactOutput = true } });

    var secondResponse = await guardrailAgent.InvokeAsync("Now write something the guardrail blocks.");
    // </snippet:guardrails-redact-output>
    Console.WriteLine($"\n(stop reason: {secondResponse.StopReason}; the result now reads: {secondResponse.ToString().Trim()})");
    host.ShowRequests();
    PrintHistory(guardrailAgent);
});

// What the agent keeps: this is what it sends to the model on the next turn.
static void PrintHistory(Agent agent)
{
    Console.WriteLine("history:");
    foreach (var message in agent.Messages)
    {
        Console.WriteLine($"  [{message.Role}] {string.Concat(message.Content.Select(block => block.Text))}");
    }
}
