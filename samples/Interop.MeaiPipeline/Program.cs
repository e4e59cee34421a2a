// A Microsoft.Extensions.AI pipeline over Amazon Bedrock: BedrockModel.AsIChatClient() is an IChatClient, so the
// usual middleware stacks on it. Here UseFunctionInvocation runs an AIFunction whenever the model asks for it.
//
//   dotnet run --project samples/Interop.MeaiPipeline            # offline, against FakeBedrockServer
//   dotnet run --project samples/Interop.MeaiPipeline -- --live  # Amazon Bedrock (AWS_REGION, AWS credentials)
//
// Prints "MEAI pipeline answer: ...".

using System.ComponentModel;
using Microsoft.Extensions.AI;
using Strands.Bedrock.Testing;
using Strands.Content;
using Strands.Models;
using Strands.Samples;

var live = args.Contains("--live");

await SampleHost.RunAsync(args, async () =>
{
    // Offline, the fake Bedrock answers over loopback HTTP, with the same wire protocol as the service: first a tool
    // use, then (once the tool result arrives) an answer that quotes the result.
    await using var fake = live ? null : await FakeBedrockServer.StartAsync();
    fake?.RespondWith(request =>
    {
        var last = request.ConverseStreamRequest?.Messages?[^1];
        var result = last?.Content.Select(c => c.ToolResult).FirstOrDefault(r => r is not null);
        return result is null
            ? FakeResponse.ToolUse("get_weather", """{"city":"Paris"}""")
            : FakeResponse.Text($"Here is the weather: {result.Content[0].Text}");
    });

    using var model = new BedrockModel(new BedrockModelConfig { ModelId = "us.amazon.nova-premier-v1:0" }, fake?.CreateClientOptions());

    // The pipeline: function invocation around the Bedrock chat client.
    using IChatClient client = new ChatClientBuilder(model.AsIChatClient())
        .UseFunctionInvocation()
        .Build();

    var getWeather = AIFunctionFactory.Create(
        ([Description("The city, e.g. Paris.")] string city) => $"sunny and 22 °C in {city}",
        "get_weather",
        "Gets the current weather for a city.");

    ChatResponse response = await client.GetResponseAsync(
        "What is the weather in Paris?",
        new ChatOptions { Tools = [getWeather] });

    Console.WriteLine($"MEAI pipeline answer: {response.Text}");
    Console.WriteLine($"MEAI pipeline usage: {response.Usage?.InputTokenCount} input tokens, {response.Usage?.OutputTokenCount} output tokens");
});
