// Multimodal input: a document and an image in the message, beside the text.
// Offline by default (scripted responses); pass --live to call Amazon Bedrock.
using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Content;
using Strands.Models;
using Strands.Samples;

await using var host = await SampleHost.StartAsync(args,
    FakeResponse.Text("The document is the opening line of a fairy tale: \"Once upon a time...\"."),
    FakeResponse.Text("The image is a single red pixel."));

Console.WriteLine("== A document ==");
// <snippet:multimodal-document>
// Create a Bedrock model that supports multimodal inputs
using var bedrockModel = new BedrockModel(new BedrockModelConfig
{
    ModelId = "anthropic.claude-sonnet-4-20250514-v1:0",
});
var agent = new Agent(bedrockModel);

// Send the multimodal message to the agent
var response = await agent.InvokeAsync(
[
    new ContentBlock
    {
        Document = new DocumentBlock
        {
            Format = DocumentFormat.Txt,
            Name = "example",
            Source = new DocumentSource { Bytes = "Once upon a time..."u8.ToArray() },
        },
    },
    ContentBlock.FromText("Tell me about the document."),
]);
// </snippet:multimodal-document>
Console.WriteLine();
host.ShowRequests("messages");

Console.WriteLine("== An image ==");
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
