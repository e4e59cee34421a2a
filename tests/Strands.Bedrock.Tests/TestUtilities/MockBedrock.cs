using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Moq;
using Strands.Bedrock;
using Strands.Bedrock.Json;
using Strands.Content;

namespace Strands.Tests.TestUtilities;

/// <summary>A Moq <see cref="IBedrockRuntimeClient"/> that records requests and answers with scripted events or responses.</summary>
public sealed class MockBedrock
{
    public Mock<IBedrockRuntimeClient> Mock { get; } = new(MockBehavior.Strict);

    public List<ConverseStreamRequest> StreamRequests { get; } = [];

    public List<ConverseRequest> Requests { get; } = [];

    public MockBedrock StreamReturns(params StreamEvent[] events) => StreamReturns(events, null);

    public MockBedrock StreamReturns(IReadOnlyList<StreamEvent> events) => StreamReturns(events, null);

    public MockBedrock StreamReturns(IReadOnlyList<StreamEvent> events, Exception? thenThrow)
    {
        Mock.Setup(c => c.ConverseStreamAsync(It.IsAny<ConverseStreamRequest>(), It.IsAny<CancellationToken>()))
            .Returns((ConverseStreamRequest r, CancellationToken ct) =>
            {
                StreamRequests.Add(r);
                return Yield(events, thenThrow, ct);
            });
        return this;
    }

    public MockBedrock ConverseReturns(ConverseResponse response)
    {
        Mock.Setup(c => c.ConverseAsync(It.IsAny<ConverseRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ConverseRequest r, CancellationToken _) =>
            {
                Requests.Add(r);
                return response;
            });
        return this;
    }

    public MockBedrock ConverseThrows(Exception error)
    {
        Mock.Setup(c => c.ConverseAsync(It.IsAny<ConverseRequest>(), It.IsAny<CancellationToken>()))
            .Returns((ConverseRequest r, CancellationToken _) =>
            {
                Requests.Add(r);
                return Task.FromException<ConverseResponse>(error);
            });
        return this;
    }

    /// <summary>The last stream request as wire JSON (model id in "modelId", as the reference's request dict has it).</summary>
    public JsonObject LastStreamRequestJson()
    {
        var request = StreamRequests[^1];
        var json = JsonSerializer.SerializeToNode(request, BedrockJsonContext.Default.ConverseStreamRequest)!.AsObject();
        json["modelId"] = request.ModelId;
        return json;
    }

    private static async IAsyncEnumerable<StreamEvent> Yield(IReadOnlyList<StreamEvent> events, Exception? thenThrow, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var e in events)
        {
            ct.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return e;
        }

        if (thenThrow is not null)
        {
            throw thenThrow;
        }
    }

    public static IReadOnlyList<StreamEvent> TextTurn(string text) =>
    [
        new MessageStartEvent(),
        new ContentBlockDeltaEvent { Delta = new ContentBlockDelta { Text = text } },
        new ContentBlockStopEvent(),
        new MessageStopEvent { StopReason = StopReason.EndTurn },
        new MetadataEvent { Usage = new TokenUsage { InputTokens = 1, OutputTokens = 1, TotalTokens = 2 }, Metrics = new ConverseMetrics { LatencyMs = 1 } },
    ];
}
