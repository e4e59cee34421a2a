// Multimodal input: a conversation seeded with a document, as in the documentation, then an image beside the text.
// Offline by default (scripted responses); pass --live to call Amazon Bedrock.
using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Content;
using Strands.Models;
using Strands.Samples;

await SampleHost.RunAsync(args, async () =>
{
    await using var host = await SampleHost.StartAsync(args,
        FakeResponse.Text("The document asks me to use it in my response: \"Use this document in your response.\""),
        FakeResponse.Text("The image is a single red pixel."));

    Console.WriteLine("== A document in the agent's messages ==");
    // <snippet:multimodal-document>
    // Create a Bedrock model that supports multimodal inputs
    using var bedrockModel = new BedrockModel(new BedrockModelConfig
    {
        ModelId = "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
    });

    // Create a message with both text and document content
    Message[] messages =
    [
        Message.User(
            new ContentBlock
            {
                Document = new DocumentBlock
                {
                    Format = DocumentFormat.Txt,
                    Name = "example",
                    Source = new DocumentSource { Bytes = "Use this document in your response."u8.ToArray() },
                },
            },
            ContentBlock.FromText("Use this media in your response.")),
        Message.Assistant("I will reference this media in my next response."),
    ];

    // Create an agent with the multimodal model
    var agent = new Agent(bedrockModel, new AgentOptions { Messages = messages });

    // Send the multimodal message to the agent
    var response = await agent.InvokeAsync("Tell me about the document.");
    // </snippet:multimodal-document>
    Console.WriteLine();
    host.ShowRequests("messages");

    Console.WriteLine("== An image in the prompt ==");
    // A 1x1 red PNG; in an application, File.ReadAllBytes("photo.png").
    var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");
    // <snippet:multimodal-image>
    var imageAgent = new Agent(bedrockModel);

    var imageResponse = await imageAgent.InvokeAsync(
    [
        new ContentBlock { Image = new ImageBlock { Format = ImageFormat.Png, Source = new ImageSource { Bytes = png } } },
        ContentBlock.FromText("What is in this image?"),
    ]);
    // </snippet:multimodal-image>
    Console.WriteLine();
    host.ShowRequests("messages");
});
