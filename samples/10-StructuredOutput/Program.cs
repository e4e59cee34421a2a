// Structured output: the agent returns a typed object. The record becomes a tool specification (its JSON schema
// from the properties and [Description]s) that the model must call. Offline by default (scripted responses); pass
// --live to call Amazon Bedrock.
using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Models;
using Strands.Samples;

await SampleHost.RunAsync(args, async () =>
{
    await using var host = await SampleHost.StartAsync(args,
        FakeResponse.ToolUse("ProductAnalysis", """
            {"name":"UltraBook Pro","category":"Laptop","price":1299,
             "features":["15-inch 4K display","16GB RAM","512GB SSD","12-hour battery life"],"rating":4.5}
            """));

    // <snippet:structured-output>
    using var bedrockModel = new BedrockModel();

    var agent = new Agent(bedrockModel);

    var result = await agent.StructuredOutputAsync<ProductAnalysis>("""
        Analyze this product: The UltraBook Pro is a premium laptop computer
        priced at $1,299. It features a 15-inch 4K display, 16GB RAM, 512GB SSD,
        and 12-hour battery life. Customer reviews average 4.5 stars.
        """);

    Console.WriteLine($"Product: {result.Name}");
    Console.WriteLine($"Category: {result.Category}");
    Console.WriteLine($"Price: ${result.Price}");
    Console.WriteLine($"Features: {string.Join(", ", result.Features)}");
    Console.WriteLine($"Rating: {result.Rating}");
    // </snippet:structured-output>
    host.ShowRequests("toolConfig");
});
