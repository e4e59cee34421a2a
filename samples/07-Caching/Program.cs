// Prompt caching: cache points after the system prompt, after the tools, and in the messages. The first request
// writes the cache, later ones read it (for about five minutes), which cuts input cost and latency.
// Offline by default (scripted responses and token counts); pass --live to call Amazon Bedrock.
using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Content;
using Strands.Models;
using Strands.Samples;
using Strands.Tools;

await using var host = await SampleHost.StartAsync(args,
    // system prompt: write, then read
    _ => FakeResponse.Text("Python is a readable, general-purpose language.").WithUsage(1210, 12, cacheRead: 0, cacheWrite: 1200),
    _ => FakeResponse.Text("JavaScript is the language of the web.").WithUsage(1210, 9, cacheRead: 1200, cacheWrite: 0),
    // legacy system prompt cache point
    _ => FakeResponse.Text("Python is a readable, general-purpose language.").WithUsage(40, 12),
    // tools: current_time, then calculator; the answers quote the tools' real results
    _ => FakeResponse.ToolUse("current_time", "{}").WithUsage(1100, 20, cacheRead: 0, cacheWrite: 1050),
    request => FakeResponse.Text($"It is {SampleHost.LastToolResult(request)}.").WithUsage(1150, 25, cacheRead: 1050, cacheWrite: 0),
    _ => FakeResponse.ToolUse("calculator", """{"expression":"sqrt(1764)"}""").WithUsage(1180, 20, cacheRead: 1050, cacheWrite: 0),
    request => FakeResponse.Text($"The square root of 1764 is {SampleHost.LastToolResult(request)}.").WithUsage(1200, 15, cacheRead: 1050, cacheWrite: 0),
    // messages: the seeded conversation up to its cache point
    _ => FakeResponse.Text("A sample document.").WithUsage(1300, 5, cacheRead: 0, cacheWrite: 1280),
    _ => FakeResponse.Text("It is one short sentence.").WithUsage(1320, 7, cacheRead: 1280, cacheWrite: 0));

Console.WriteLine("== System prompt caching ==");
await SystemPromptCaching();
host.ShowRequests("system");

Console.WriteLine("== System prompt caching, the legacy way (CacheConfig.SystemPrompt, Python's cache_prompt) ==");
await LegacySystemPromptCaching();
host.ShowRequests("system");

Console.WriteLine("== Tool caching ==");
await ToolCaching();
host.ShowRequests("toolConfig");

Console.WriteLine("== Messages caching ==");
await MessagesCaching();
host.ShowRequests("messages");

static async Task SystemPromptCaching()
{
    // <snippet:caching-system-prompt>
    // Define system content with cache points
    var systemContent = new SystemPrompt(
    [
        SystemContentBlock.FromText(
            "You are a helpful assistant that provides concise answers. " +
            "This is a long system prompt with detailed instructions..." +
            string.Concat(Enumerable.Repeat("...", 1600))), // needs to be at least 1,024 tokens
        SystemContentBlock.CachePointDefault,
    ]);

    // Create an agent with the system content blocks
    var agent = new Agent(options: new AgentOptions { SystemPrompt = systemContent });

    // First request will cache the system prompt
    var response1 = await agent.InvokeAsync("Tell me about Python");
    Console.WriteLine(); // the default callback handler streamed the answer; end its line
    Console.WriteLine($"Cache write tokens: {response1.Usage.CacheWriteInputTokens}");
    Console.WriteLine($"Cache read tokens: {response1.Usage.CacheReadInputTokens}");

    // Second request will reuse the cached system prompt
    var response2 = await agent.InvokeAsync("Tell me about JavaScript");
    Console.WriteLine(); // end the streamed answer's line
    Console.WriteLine($"Cache write tokens: {response2.Usage.CacheWriteInputTokens}");
    Console.WriteLine($"Cache read tokens: {response2.Usage.CacheReadInputTokens}");
    // </snippet:caching-system-prompt>
}

static async Task LegacySystemPromptCaching()
{
    // <snippet:caching-system-prompt-legacy>
    // Using legacy system prompt caching with BedrockModel
    using var bedrockModel = new BedrockModel(new BedrockModelConfig
    {
        ModelId = "anthropic.claude-sonnet-4-20250514-v1:0",
        Cache = new CacheConfig { SystemPrompt = CachePointType.Default },
    });

    // Create an agent with the model
    var agent = new Agent(bedrockModel, new AgentOptions
    {
        SystemPrompt = "You are a helpful assistant that provides concise answers. " +
                      "This is a long system prompt with detailed instructions... ",
    });

    var response = await agent.InvokeAsync("Tell me about Python");
    // </snippet:caching-system-prompt-legacy>
    Console.WriteLine();
}

static async Task ToolCaching()
{
    // <snippet:caching-tools>
    // Using tool caching with BedrockModel
    using var bedrockModel = new BedrockModel(new BedrockModelConfig
    {
        ModelId = "anthropic.claude-sonnet-4-20250514-v1:0",
        Cache = new CacheConfig { Tools = CachePointType.Default },
    });

    // Create an agent with the model and tools
    var agent = new Agent(bedrockModel, new AgentOptions { Tools = [BuiltInTools.Calculator, BuiltInTools.CurrentTime] });

    // First request will cache the tools
    var response1 = await agent.InvokeAsync("What time is it?");
    Console.WriteLine(); // the default callback handler streamed the answer; end its line
    Console.WriteLine($"Cache write tokens: {response1.Usage.CacheWriteInputTokens}");
    Console.WriteLine($"Cache read tokens: {response1.Usage.CacheReadInputTokens}");

    // Second request will reuse the cached tools
    var response2 = await agent.InvokeAsync("What is the square root of 1764?");
    Console.WriteLine(); // end the streamed answer's line
    Console.WriteLine($"Cache write tokens: {response2.Usage.CacheWriteInputTokens}");
    Console.WriteLine($"Cache read tokens: {response2.Usage.CacheReadInputTokens}");
    // </snippet:caching-tools>
}

static async Task MessagesCaching()
{
    // <snippet:caching-messages>
    // Create a conversation, and add a messages cache point to cache the conversation up to that point
    Message[] messages =
    [
        Message.User(
            new ContentBlock
            {
                Document = new DocumentBlock
                {
                    Format = DocumentFormat.Txt,
                    Name = "example",
                    Source = new DocumentSource { Bytes = "This is a sample document!"u8.ToArray() },
                },
            },
            ContentBlock.FromText("Use this document in your response."),
            ContentBlock.CachePointDefault),
        Message.Assistant("I will reference that document in my following responses."),
    ];

    // Create an agent with the messages
    var agent = new Agent(options: new AgentOptions { Messages = messages });

    // First request will cache the message
    var response1 = await agent.InvokeAsync("What is in that document?");
    Console.WriteLine(); // end the streamed answer's line

    // Second request will reuse the cached message
    var response2 = await agent.InvokeAsync("How long is the document?");
    // </snippet:caching-messages>
    Console.WriteLine();

    // <snippet:caching-metrics>
    // Cache metrics over every call the agent made (AgentResult.Usage holds this invocation's alone)
    var cacheWrite = response2.Metrics.AccumulatedUsage.CacheWriteInputTokens ?? 0;
    var cacheRead = response2.Metrics.AccumulatedUsage.CacheReadInputTokens ?? 0;

    Console.WriteLine($"Cache write tokens: {cacheWrite}");
    Console.WriteLine($"Cache read tokens: {cacheRead}");
    // </snippet:caching-metrics>
}
