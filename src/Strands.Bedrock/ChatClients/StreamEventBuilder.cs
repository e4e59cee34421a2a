using System.Text;
using Microsoft.Extensions.AI;
using Strands.Content;

namespace Strands.ChatClients;

/// <summary>
/// Turns the contents of chat response updates into the content block events of one Converse turn: a text block
/// while text arrives, a reasoning block while reasoning arrives, and a complete tool-use block (start, input, stop)
/// per function call. Blocks never interleave; each ends before the next starts.
/// </summary>
internal sealed class StreamEventBuilder
{
    private BlockKind _open;
    private int _index = -1;
    private bool _reasoningHasText;
    private bool _calledTools;
    private UsageDetails? _usage;

    private enum BlockKind
    {
        None,
        Text,
        Reasoning,
    }

    /// <summary>The latest finish reason the client reported.</summary>
    public ChatFinishReason? FinishReason { get; set; }

    /// <summary>The events for one content item (usage is kept for <see cref="Finish"/>).</summary>
    public IEnumerable<StreamEvent> Add(AIContent content)
    {
        var events = new List<StreamEvent>(3);
        switch (content)
        {
            case TextContent { Text: { Length: > 0 } text }:
                Open(BlockKind.Text, events);
                events.Add(Delta(new ContentBlockDelta { Text = text }));
                break;

            case TextReasoningContent reasoning:
                Open(BlockKind.Reasoning, events);
                if (!string.IsNullOrEmpty(reasoning.Text))
                {
                    _reasoningHasText = true;
                    events.Add(Delta(new ContentBlockDelta { ReasoningContent = new ReasoningContentBlockDelta { Text = reasoning.Text } }));
                }

                if (reasoning.ProtectedData is { Length: > 0 } data)
                {
                    events.Add(Delta(new ContentBlockDelta
                    {
                        ReasoningContent = _reasoningHasText ? new ReasoningContentBlockDelta { Signature = data } : new ReasoningContentBlockDelta { RedactedContent = Redacted(data) },
                    }));

                    // Protected data ends a reasoning block (as it ends a merge in ToChatResponseAsync).
                    Close(events);
                }

                break;

            case FunctionCallContent call:
                Close(events);
                _index++;
                _calledTools = true;
                events.Add(new ContentBlockStartEvent
                {
                    ContentBlockIndex = _index,
                    Start = new ContentBlockStart { ToolUse = new ToolUseBlockStart { ToolUseId = call.CallId, Name = call.Name } },
                });
                events.Add(Delta(new ContentBlockDelta { ToolUse = new ToolUseBlockDelta { Input = ChatJson.ArgumentsToElement(call.Arguments).GetRawText() } }));
                events.Add(new ContentBlockStopEvent { ContentBlockIndex = _index });
                break;

            case UsageContent usage:
                AddUsage(usage.Details);
                break;
        }

        return events;
    }

    /// <summary>Adds usage the client reported.</summary>
    public void AddUsage(UsageDetails usage)
    {
        if (_usage is null)
        {
            _usage = new UsageDetails();
        }

        _usage.Add(usage);
    }

    /// <summary>Closes the open block and ends the turn: the stop reason, then usage and latency.</summary>
    public IEnumerable<StreamEvent> Finish(long latencyMs)
    {
        var events = new List<StreamEvent>(3);
        Close(events);
        events.Add(new MessageStopEvent { StopReason = ChatMessageMapper.ToStopReason(FinishReason, _calledTools) });
        events.Add(new MetadataEvent { Usage = ChatMessageMapper.ToTokenUsage(_usage), Metrics = new ConverseMetrics { LatencyMs = latencyMs } });
        return events;
    }

    /// <summary>Redacted reasoning travels as base64 in <see cref="TextReasoningContent.ProtectedData"/>; other data is kept as UTF-8.</summary>
    private static byte[] Redacted(string data)
    {
        var bytes = new byte[(data.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(data, bytes, out var written) ? bytes[..written] : Encoding.UTF8.GetBytes(data);
    }

    private void Open(BlockKind kind, List<StreamEvent> events)
    {
        if (_open == kind)
        {
            return;
        }

        Close(events);
        _open = kind;
        _index++;
        _reasoningHasText = false;
    }

    private void Close(List<StreamEvent> events)
    {
        if (_open != BlockKind.None)
        {
            events.Add(new ContentBlockStopEvent { ContentBlockIndex = _index });
            _open = BlockKind.None;
        }
    }

    private ContentBlockDeltaEvent Delta(ContentBlockDelta delta) => new() { ContentBlockIndex = _index, Delta = delta };
}
