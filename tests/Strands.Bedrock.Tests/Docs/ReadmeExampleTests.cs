using Moq;
using Strands.Agents;
using Strands.Bedrock;
using Strands.Content;
using Strands.Models;

namespace Strands.Tests.Docs;

/// <summary>The README's unit-test example with Moq, compiled and run; <see cref="GuideSnippetsTests"/> checks the README shows it verbatim.</summary>
public sealed class ReadmeExampleTests
{
    // <snippet:readme-moq>
    [Fact]
    public async Task Agent_answers_from_a_mocked_Bedrock_client()
    {
        var client = new Mock<IBedrockRuntimeClient>();
        client.Setup(c => c.ConverseStreamAsync(It.IsAny<ConverseStreamRequest>(), It.IsAny<CancellationToken>()))
            .Returns(new StreamEvent[]
            {
                new MessageStartEvent(),
                new ContentBlockDeltaEvent { Delta = new ContentBlockDelta { Text = "Hello from Moq!" } },
                new ContentBlockStopEvent(),
                new MessageStopEvent { StopReason = StopReason.EndTurn },
            }.ToAsyncEnumerable());
        var agent = new Agent(new BedrockModel(client.Object), new AgentOptions { CallbackHandler = null });

        var result = await agent.InvokeAsync("Hi");

        Assert.Equal("Hello from Moq!", result.ToString());
        client.Verify(c => c.ConverseStreamAsync(
            It.Is<ConverseStreamRequest>(r => r.ModelId == BedrockModelConfig.DefaultModelId && r.Messages![0].Content[0].Text == "Hi"),
            It.IsAny<CancellationToken>()), Times.Once());
    }
    // </snippet:readme-moq>
}
