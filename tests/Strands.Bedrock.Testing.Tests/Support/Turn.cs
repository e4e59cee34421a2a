using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strands.Bedrock;
using Strands.Bedrock.Json;
using Strands.Content;

namespace Strands.Bedrock.Testing.Tests.Support;

/// <summary>What one model turn produced, whichever API delivered it; compared as wire JSON.</summary>
public sealed record Turn(Message Message, StopReason StopReason, TokenUsage Usage, long LatencyMs, ConverseTrace? Trace, JsonElement? AdditionalModelResponseFields)
{
    public static Turn From(ConverseResponse response) =>
        new(response.Output.Message!, response.StopReason, response.Usage, response.Metrics.LatencyMs, response.Trace, response.AdditionalModelResponseFields);

    /// <summary>Folds ConverseStream events into the message they describe, as a stream processor would.</summary>
    public static Turn From(IReadOnlyList<StreamEvent> events)
    {
        var blocks = new SortedDictionary<int, BlockState>();
        BlockState At(int index) => blocks.TryGetValue(index, out var s) ? s : blocks[index] = new BlockState();
        var content = new List<ContentBlock>();
        StopReason? stop = null;
        MetadataEvent? metadata = null;
        JsonElement? additional = null;
        foreach (var e in events)
        {
            switch (e)
            {
                case ContentBlockStartEvent start:
                    At(start.ContentBlockIndex).ToolStart = start.Start.ToolUse;
                    break;
                case ContentBlockDeltaEvent delta:
                    var state = At(delta.ContentBlockIndex);
                    var d = delta.Delta;
                    if (d.Text is not null) state.Text.Append(d.Text);
                    if (d.ToolUse is not null) state.ToolInput.Append(d.ToolUse.Input);
                    if (d.ReasoningContent?.Text is not null) { state.IsReasoning = true; state.ReasoningText.Append(d.ReasoningContent.Text); }
                    if (d.ReasoningContent?.Signature is not null) { state.IsReasoning = true; state.Signature += d.ReasoningContent.Signature; }
                    if (d.ReasoningContent?.RedactedContent is not null) state.Redacted = d.ReasoningContent.RedactedContent;
                    if (d.Citation is not null) state.Citations.Add(new Citation { Title = d.Citation.Title, Source = d.Citation.Source, SourceContent = d.Citation.SourceContent, Location = d.Citation.Location });
                    break;
                case ContentBlockStopEvent stopEvent:
                    content.Add(blocks[stopEvent.ContentBlockIndex].ToBlock());
                    break;
                case MessageStopEvent messageStop:
                    stop = messageStop.StopReason;
                    additional = messageStop.AdditionalModelResponseFields;
                    break;
                case MetadataEvent m:
                    metadata = m;
                    break;
            }
        }

        return new Turn(Message.Assistant(content), stop!.Value, metadata!.Usage, metadata.Metrics.LatencyMs, metadata.Trace, additional);
    }

    /// <summary>The turn as canonical JSON, for equality.</summary>
    public string ToJson()
    {
        var node = new JsonObject
        {
            ["message"] = JsonSerializer.SerializeToNode(Message, BedrockJsonContext.Default.Message),
            ["stopReason"] = StopReason.Value,
            ["usage"] = JsonSerializer.SerializeToNode(new ConverseResponse { Usage = Usage }, BedrockJsonContext.Default.ConverseResponse)!["usage"]!.DeepClone(),
            ["latencyMs"] = LatencyMs,
            ["trace"] = Trace is null ? null : JsonSerializer.SerializeToNode(new ConverseResponse { Trace = Trace }, BedrockJsonContext.Default.ConverseResponse)!["trace"]!.DeepClone(),
            ["additional"] = AdditionalModelResponseFields is { } a ? JsonNode.Parse(a.GetRawText()) : null,
        };
        return node.ToJsonString();
    }

    private sealed class BlockState
    {
        public ToolUseBlockStart? ToolStart;
        public readonly StringBuilder Text = new();
        public readonly StringBuilder ToolInput = new();
        public readonly StringBuilder ReasoningText = new();
        public bool IsReasoning;
        public string? Signature;
        public byte[]? Redacted;
        public readonly List<Citation> Citations = [];

        public ContentBlock ToBlock()
        {
            if (ToolStart is not null)
            {
                return new ContentBlock { ToolUse = new ToolUseBlock { ToolUseId = ToolStart.ToolUseId, Name = ToolStart.Name, Type = ToolStart.Type, Input = JsonValues.Parse(ToolInput.ToString()) } };
            }

            if (IsReasoning)
            {
                return new ContentBlock { ReasoningContent = new ReasoningContentBlock { ReasoningText = new ReasoningTextBlock { Text = ReasoningText.ToString(), Signature = Signature } } };
            }

            if (Redacted is not null)
            {
                return new ContentBlock { ReasoningContent = new ReasoningContentBlock { RedactedContent = Redacted } };
            }

            if (Citations.Count > 0)
            {
                return new ContentBlock { CitationsContent = new CitationsContentBlock { Content = [new CitationGeneratedContent { Text = Text.ToString() }], Citations = Citations } };
            }

            return ContentBlock.FromText(Text.ToString());
        }
    }
}
