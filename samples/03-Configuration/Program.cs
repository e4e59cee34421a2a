// Configuration: the documentation's example (region, retries, timeouts, inference parameters, stop sequences), then
// every BedrockModelConfig option at once. Offline by default (scripted responses); pass --live to call Amazon Bedrock.
using Strands.Agents;
using Strands.Bedrock;
using Strands.Bedrock.Testing;
using Strands.Content;
using Strands.Models;
using Strands.Samples;

await SampleHost.RunAsync(args, async () =>
{
    // Offline, the fake signs for us-east-1, the region the example picks. Its first answer is a throttling error, to
    // show the client's retries (standard mode: exponential back-off with jitter) recovering from it.
    await using var host = await SampleHost.StartAsync(args,
        new FakeBedrockServerOptions { Region = "us-east-1" },
        FakeResponse.Error("ThrottlingException", 429, "Too many requests, please wait before trying again."),
        FakeResponse.Text("Once upon a time, a small AI assistant learned to say \"I don't know\".").WithStopReason(StopReason.StopSequence),
        FakeResponse.Text("Every option was sent."));

    Console.WriteLine("== The documentation's example ==");
    // <snippet:configuration-example>
    // How to reach Bedrock: the counterpart of botocore's Config(retries=..., connect_timeout=..., read_timeout=...)
    // and of region_name
    var clientOptions = new BedrockClientOptions
    {
        Region = "us-east-1",                  // Specify a different region than the default
        MaxAttempts = 4,                       // retries={"max_attempts": 3, ...}: botocore counts retries, so 1 + 3
        RetryMode = RetryMode.Standard,        // retries={..., "mode": "standard"}
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ReadTimeout = TimeSpan.FromSeconds(60),
    };

    // Create a configured Bedrock model
    using var bedrockModel = new BedrockModel(
        new BedrockModelConfig
        {
            ModelId = "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
            Temperature = 0.3,
            TopP = 0.8,
            StopSequences = ["###", "END"],
        },
        clientOptions);

    // Create an agent with the configured model
    var agent = new Agent(bedrockModel);

    // Use the agent
    var response = await agent.InvokeAsync("Write a short story about an AI assistant.");
    // </snippet:configuration-example>
    Console.WriteLine($"\n(stop reason: {response.StopReason})");

    // The client's retries stack under the agent's: each throttled model call the agent repeats is a new client call.
    var client = (BedrockRuntimeClient)bedrockModel.Client;
    Console.WriteLine($"Retries: the client makes up to {client.MaxAttempts} attempts per call ({client.RetryMode} mode); the agent " +
        $"repeats a throttled call up to {agent.RetryStrategy.MaxAttempts} times, so a throttling error that never ends costs " +
        $"{client.MaxAttempts * agent.RetryStrategy.MaxAttempts} requests.");
    host.ShowRequests("inferenceConfig");

    Console.WriteLine("== Every BedrockModelConfig option ==");
    // <snippet:configuration-every-option>
    var everyOption = new BedrockModelConfig
    {
        ModelId = "us.anthropic.claude-3-7-sonnet-20250219-v1:0", // model id, inference profile id or ARN
        MaxTokens = 4096,                                         // inferenceConfig.maxTokens
        Temperature = 1.0,                                        // inferenceConfig.temperature (0 to 1)
        TopP = 0.95,                                              // inferenceConfig.topP (0 to 1)
        StopSequences = ["###"],                                  // inferenceConfig.stopSequences
        Streaming = true,                                         // ConverseStream (default) or Converse
        Cache = new CacheConfig
        {
            SystemPrompt = CachePointType.Default,                // cache point after the system prompt
            Tools = CachePointType.Default,                       // cache point after the tool specifications
            Messages = MessageCacheStrategy.Auto,                 // cache point at the end of the last user message
        },
        Guardrail = new GuardrailConfig
        {
            Id = "your-guardrail-id",
            Version = "DRAFT",
            Trace = GuardrailTrace.Enabled,                       // redaction needs a trace
            StreamProcessingMode = GuardrailStreamProcessingMode.Sync,
            RedactInput = true,
            RedactInputMessage = "Blocked Input!",
            RedactOutput = false,
            RedactOutputMessage = "Blocked Output!",
            GuardLatestUserMessage = false,
        },
        Reasoning = new ReasoningConfig { BudgetTokens = 2048 },  // additionalModelRequestFields.thinking
        AdditionalRequestFields = JsonValues.Parse("""{"anthropic_beta":["interleaved-thinking-2025-05-14"]}"""),
        AdditionalResponseFieldPaths = ["/stop_sequence"],        // model-specific response fields to return
        AdditionalArgs = JsonValues.Parse("""{"requestMetadata":{"team":"samples"}}"""), // merged last into the request
        IncludeToolResultStatus = ToolResultStatusPolicy.Auto,    // keep toolResult.status for Claude only
        StrictTools = false,                                      // strict tool schemas
        ServiceTier = ServiceTierType.Default,                    // serviceTier.type
    };
    // </snippet:configuration-every-option>

    if (host.IsLive)
    {
        Console.WriteLine("Not sent live: the guardrail id is a placeholder.");
    }
    else
    {
        // "your-guardrail-id" is the page's placeholder, which Bedrock (and so the offline fake) rejects: a guardrail id
        // is lowercase letters and digits (or an ARN).
        using var everyOptionModel = new BedrockModel(everyOption with { Guardrail = everyOption.Guardrail! with { Id = "a1b2c3d4e5f6" } });
        await new Agent(everyOptionModel, new AgentOptions { SystemPrompt = "You are concise." }).InvokeAsync("Hello!");
        Console.WriteLine();
        host.ShowRequests("system", "inferenceConfig", "guardrailConfig", "additionalModelRequestFields", "additionalModelResponseFieldPaths", "requestMetadata", "serviceTier");
    }
});
