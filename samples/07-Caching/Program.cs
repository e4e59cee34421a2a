// Prompt caching: cache points after the system prompt, after the tools, and in the messages. The first request
// writes the cache, later ones read it (for about five minutes), which cuts input cost and latency.
// Offline by default (scripted responses and token counts); pass --live to call Amazon Bedrock.
using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Content;
using Strands.Models;
using Strands.Samples;
using Strands.Tools;

await SampleHost.RunAsync(args, async () =>
{
    await using var host = await SampleHost.StartAsync(args,
        // system prompt (cache_prompt): write, then read
        _ => FakeResponse.Text("Python is a readable, general-purpose language.").WithUsage(1410, 12, cacheRead: 0, cacheWrite: 1200),
        _ => FakeResponse.Text("JavaScript is the language of the web.").WithUsage(1410, 9, cacheRead: 1200, cacheWrite: 0),
        // tools: current_time, then calculator; the answers quote the tools' real results
        _ => FakeResponse.ToolUse("current_time", "{}").WithUsage(1100, 20, cacheRead: 0, cacheWrite: 1050),
        request => FakeResponse.Text($"It is {SampleHost.LastToolResult(request)}.").WithUsage(1150, 25, cacheRead: 1050, cacheWrite: 0),
        _ => FakeResponse.ToolUse("calculator", """{"expression":"sqrt(1764)"}""").WithUsage(1180, 20, cacheRead: 1050, cacheWrite: 0),
        request => FakeResponse.Text($"The square root of 1764 is {SampleHost.LastToolResult(request)}.").WithUsage(1200, 15, cacheRead: 1050, cacheWrite: 0),
        // messages: the seeded conversation up to its cache point
        _ => FakeResponse.Text("A sample document.").WithUsage(1300, 5, cacheRead: 0, cacheWrite: 1280),
        _ => FakeResponse.Text("It is one short sentence.").WithUsage(1320, 7, cacheRead: 1280, cacheWrite: 0),
        // a system prompt with its own cache point
        _ => FakeResponse.Text("Python is a readable, general-purpose language.").WithUsage(1610, 12, cacheRead: 0, cacheWrite: 1600),
        _ => FakeResponse.Text("JavaScript is the language of the web.").WithUsage(1610, 9, cacheRead: 1600, cacheWrite: 0));

    Console.WriteLine("== System prompt caching ==");
    await SystemPromptCaching();
    host.ShowRequests("system");

    Console.WriteLine("== Tool caching ==");
    await ToolCaching();
    host.ShowRequests("toolConfig");

    Console.WriteLine("== Messages caching ==");
    await MessagesCaching();
    host.ShowRequests("messages");

    Console.WriteLine("== A system prompt with its own cache point ==");
    await SystemPromptBlocksCaching();
    host.ShowRequests("system");
});

static async Task SystemPromptCaching()
{
    // Claude 3.7 Sonnet caches a prefix of at least 1,024 tokens: below that, Bedrock creates no cache point.
    var detailedInstructions = string.Concat(Enumerable.Repeat("Answer in at most three short sentences. ", 200));

    // <snippet:caching-system-prompt>
    // Using system prompt caching with BedrockModel
    using var bedrockModel = new BedrockModel(new BedrockModelConfig
    {
        ModelId = "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
        Cache = new CacheConfig { SystemPrompt = CachePointType.Default },
    });

    // Create an agent with the model
    var agent = new Agent(bedrockModel, new AgentOptions
    {
        SystemPrompt = "You are a helpful assistant that provides concise answers. " +
                       "This is a long system prompt with detailed instructions... " +
                       detailedInstructions, // enough text to reach the minimum token requirement for your model
    });

    // First request will cache the system prompt
    var response1 = await agent.InvokeAsync("Tell me about Python");
    Console.WriteLine(); // the default callback handler streamed the answer; end its line

    // Second request will reuse the cached system prompt
    var response2 = await agent.InvokeAsync("Tell me about JavaScript");
    Console.WriteLine();
    // </snippet:caching-system-prompt>
    PrintCacheTokens(response1, response2);
}

static async Task ToolCaching()
{
    // <snippet:caching-tools>
    // Using tool caching with BedrockModel
    using var bedrockModel = new BedrockModel(new BedrockModelConfig
    {
        ModelId = "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
        Cache = new CacheConfig { Tools = CachePointType.Default },
    });

    // Create an agent with the model and tools
    var agent = new Agent(bedrockModel, new AgentOptions { Tools = [BuiltInTools.Calculator, BuiltInTools.CurrentTime] });

    // First request will cache the tools
    var response1 = await agent.InvokeAsync("What time is it?");
    Console.WriteLine(); // end the streamed answer's line

    // Second request will reuse the cached tools
    var response2 = await agent.InvokeAsync("What is the square root of 1764?");
    Console.WriteLine();
    // </snippet:caching-tools>
    PrintCacheTokens(response1, response2);
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
    Console.WriteLine();
    // </snippet:caching-messages>
    PrintCacheTokens(response1, response2);

    // <snippet:caching-metrics>
    // Cache metrics over every call the agent made (AgentResult.Usage holds this invocation's alone)
    var cacheWrite = response2.Metrics.AccumulatedUsage.CacheWriteInputTokens ?? 0;
    var cacheRead = response2.Metrics.AccumulatedUsage.CacheReadInputTokens ?? 0;

    Console.WriteLine($"Cache write tokens: {cacheWrite}");
    Console.WriteLine($"Cache read tokens: {cacheRead}");
    // </snippet:caching-metrics>
}

static async Task SystemPromptBlocksCaching()
{
    // <snippet:caching-system-prompt-blocks>
    // A system prompt made of blocks, with a cache point after them (no CacheConfig needed)
    var systemContent = new SystemPrompt(
    [
        SystemContentBlock.FromText(
            "You are a helpful assistant that provides concise answers. " +
            "This is a long system prompt with detailed instructions..." +
            string.Concat(Enumerable.Repeat("...", 1600))), // needs to be at least 1,024 tokens
        SystemContentBlock.CachePointDefault,
    ]);

    var agent = new Agent(options: new AgentOptions { SystemPrompt = systemContent });

    var response1 = await agent.InvokeAsync("Tell me about Python");
    Console.WriteLine(); // end the streamed answer's line
    var response2 = await agent.InvokeAsync("Tell me about JavaScript");
    Console.WriteLine();
    // </snippet:caching-system-prompt-blocks>
    PrintCacheTokens(response1, response2);
}

// Each invocation's own usage (summed over its model calls): the first invocation writes the cache, the second reads it.
static void PrintCacheTokens(params AgentResult[] responses)
{
    foreach (var (response, index) in responses.Select((r, i) => (r, i + 1)))
    {
        Console.WriteLine($"response{index}: Cache write tokens: {response.Usage.CacheWriteInputTokens ?? 0}, Cache read tokens: {response.Usage.CacheReadInputTokens ?? 0}");
    }
}
