using Strands.Bedrock;
using Strands.Content;

namespace Strands.Models;

/// <summary>
/// Turns a Converse response into the events ConverseStream would have sent for it, so that streaming and
/// non-streaming calls look the same to the agent.
/// </summary>
internal static class ConverseResponseEvents
{
    public static IEnumerable<StreamEvent> From(ConverseResponse response, GuardrailConfig? guardrail)
    {
        var message = response.Output.Message;
        yield return new MessageStartEvent { Role = message?.Role ?? ConversationRole.Assistant };
        var index = 0;
        foreach (var block in message?.Content ?? [])
        {
            foreach (var streamEvent in BlockEvents(block, index))
            {
                yield return streamEvent;
            }

            index++;
        }

        yield return new MessageStopEvent { StopReason = response.StopReason, AdditionalModelResponseFields = response.AdditionalModelResponseFields };

        // As in streaming mode, the redaction comes before the metadata that carried the trace.
        foreach (var redaction in GuardrailRedaction.EventsFor(response.Trace, guardrail))
        {
            yield return redaction;
        }

        yield return new MetadataEvent
        {
            Usage = response.Usage,
            Metrics = response.Metrics,
            Trace = response.Trace,
            PerformanceConfig = response.PerformanceConfig,
            ServiceTier = response.ServiceTier,
        };
    }

    private static IEnumerable<StreamEvent> BlockEvents(ContentBlock block, int index)
    {
        if (block.ToolUse is { } toolUse)
        {
            yield return new ContentBlockStartEvent
            {
                ContentBlockIndex = index,
                Start = new ContentBlockStart { ToolUse = new ToolUseBlockStart { ToolUseId = toolUse.ToolUseId, Name = toolUse.Name, Type = toolUse.Type } },
            };
            yield return Delta(index, new ContentBlockDelta { ToolUse = new ToolUseBlockDelta { Input = toolUse.Input.GetRawText() } });
        }
        else if (block.Text is { } text)
        {
            yield return Delta(index, new ContentBlockDelta { Text = text });
        }
        else if (block.ReasoningContent is { } reasoning)
        {
            if (reasoning.ReasoningText is { } reasoningText)
            {
                yield return Delta(index, new ContentBlockDelta { ReasoningContent = new ReasoningContentBlockDelta { Text = reasoningText.Text } });
                if (!string.IsNullOrEmpty(reasoningText.Signature))
                {
                    yield return Delta(index, new ContentBlockDelta { ReasoningContent = new ReasoningContentBlockDelta { Signature = reasoningText.Signature } });
                }
            }

            if (reasoning.RedactedContent is { } redacted)
            {
                yield return Delta(index, new ContentBlockDelta { ReasoningContent = new ReasoningContentBlockDelta { RedactedContent = redacted } });
            }
        }
        else if (block.CitationsContent is { } citations)
        {
            if (citations.Content is { Count: > 0 } generated)
            {
                yield return Delta(index, new ContentBlockDelta { Text = string.Concat(generated.Select(g => g.Text)) });
            }

            foreach (var citation in citations.Citations ?? [])
            {
                yield return Delta(index, new ContentBlockDelta
                {
                    Citation = new CitationsDelta { Title = citation.Title, Source = citation.Source, SourceContent = citation.SourceContent, Location = citation.Location },
                });
            }
        }

        yield return new ContentBlockStopEvent { ContentBlockIndex = index };
    }

    private static ContentBlockDeltaEvent Delta(int index, ContentBlockDelta delta) => new() { ContentBlockIndex = index, Delta = delta };
}
