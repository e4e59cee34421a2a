using System.Buffers;
using System.Text;
using System.Text.Json;
using Strands.Content;

namespace Strands.Agents;

/// <summary>
/// Builds the assistant message of one model call from its stream events, and turns each event into the typed agent
/// event it shows (reference B.9). One instance serves every model call of an invocation: text, tool input and
/// reasoning accumulate in reused builders, and nothing is allocated per delta beyond the event returned.
/// </summary>
internal sealed class StreamProcessor(TimeProvider timeProvider)
{
    private readonly StringBuilder _text = new();
    private readonly StringBuilder _toolInput = new();
    private readonly StringBuilder _reasoningText = new();
    private readonly StringBuilder _reasoningSignature = new();
    private readonly ArrayBufferWriter<byte> _redactedReasoning = new();
    private readonly List<Citation> _citations = [];
    private List<ContentBlock> _content = [];
    private string? _toolUseId;
    private string? _toolName;
    private ToolUseType? _toolUseType;
    private long _startTimestamp;
    private long _firstByteTimestamp;

    /// <summary>The role from <c>messageStart</c>.</summary>
    public ConversationRole Role { get; private set; } = ConversationRole.Assistant;

    /// <summary>The stop reason; <c>end_turn</c> until a <c>messageStop</c> says otherwise, <c>tool_use</c> when <c>end_turn</c> came with tool uses.</summary>
    public StopReason StopReason { get; private set; } = StopReason.EndTurn;

    /// <summary>True once <c>messageStop</c> arrived: without it the response is incomplete.</summary>
    public bool Stopped { get; private set; }

    /// <summary>True when the provider said <c>end_turn</c> although the message has tool uses.</summary>
    public bool StopReasonCorrected { get; private set; }

    /// <summary>The usage from <c>metadata</c>; zeros when none came.</summary>
    public TokenUsage Usage { get; private set; } = new();

    /// <summary>The provider's latency from <c>metadata</c>, in milliseconds; 0 when none came.</summary>
    public long LatencyMs { get; private set; }

    /// <summary>The time from the request to the first content event; null when none came.</summary>
    public TimeSpan? TimeToFirstByte => _firstByteTimestamp == 0 ? null : timeProvider.GetElapsedTime(_startTimestamp, _firstByteTimestamp);

    /// <summary>Forgets everything, for a new model call.</summary>
    public void Reset()
    {
        _text.Clear();
        _toolInput.Clear();
        _reasoningText.Clear();
        _reasoningSignature.Clear();
        _redactedReasoning.ResetWrittenCount();
        _citations.Clear();
        _content = [];
        _toolUseId = null;
        _toolName = null;
        _toolUseType = null;
        Role = ConversationRole.Assistant;
        StopReason = StopReason.EndTurn;
        Stopped = false;
        StopReasonCorrected = false;
        Usage = new TokenUsage();
        LatencyMs = 0;
        _startTimestamp = timeProvider.GetTimestamp();
        _firstByteTimestamp = 0;
    }

    /// <summary>Applies one event; returns the typed event it shows, or null.</summary>
    public AgentEvent? Process(StreamEvent streamEvent)
    {
        switch (streamEvent)
        {
            case ContentBlockDeltaEvent delta:
                MarkFirstByte();
                return ProcessDelta(delta.Delta);
            case ContentBlockStartEvent start:
                MarkFirstByte();
                if (start.Start.ToolUse is { } toolUse)
                {
                    _toolUseId = toolUse.ToolUseId;
                    _toolName = toolUse.Name;
                    _toolUseType = toolUse.Type;
                    _toolInput.Clear();
                    return new ToolUseStartEvent(toolUse.ToolUseId, toolUse.Name);
                }

                _toolUseId = null;
                _toolName = null;
                return null;
            case ContentBlockStopEvent:
                StopBlock();
                return null;
            case MessageStartEvent messageStart:
                Role = messageStart.Role;
                return null;
            case MessageStopEvent messageStop:
                Stopped = true;
                StopReason = messageStop.StopReason;
                if (StopReason == StopReason.EndTurn && HasToolUse())
                {
                    StopReason = StopReason.ToolUse;
                    StopReasonCorrected = true;
                }

                return null;
            case MetadataEvent metadata:
                Usage = metadata.Usage ?? new TokenUsage();
                LatencyMs = metadata.Metrics?.LatencyMs ?? 0;
                return null;
            case RedactContentEvent { RedactAssistantContentMessage: { } redaction }:
                _content = [ContentBlock.FromText(redaction)];
                return null;
            default:
                return null;
        }
    }

    /// <summary>The message built so far.</summary>
    public Message BuildMessage() => new() { Role = Role, Content = _content.ToArray() };

    private AgentEvent? ProcessDelta(ContentBlockDelta delta)
    {
        if (delta.Text is { } text)
        {
            if (text.Length == 0)
            {
                return null;
            }

            _text.Append(text);
            return new TextDeltaEvent(text);
        }

        if (delta.ToolUse is { } toolUse)
        {
            if (_toolUseId is null)
            {
                return null;
            }

            _toolInput.Append(toolUse.Input);
            return new ToolUseInputDeltaEvent(_toolUseId, _toolName!, toolUse.Input);
        }

        if (delta.ReasoningContent is { } reasoning)
        {
            if (reasoning.Text is { } reasoningText)
            {
                _reasoningText.Append(reasoningText);
                return new ReasoningDeltaEvent(Text: reasoningText);
            }

            if (reasoning.Signature is { } signature)
            {
                _reasoningSignature.Append(signature);
                return new ReasoningDeltaEvent(Signature: signature);
            }

            if (reasoning.RedactedContent is { Length: > 0 } redacted)
            {
                _redactedReasoning.Write(redacted);
                return new ReasoningDeltaEvent(RedactedContent: redacted);
            }

            return null;
        }

        if (delta.Citation is { } citation)
        {
            _citations.Add(new Citation { Title = citation.Title, Source = citation.Source, SourceContent = citation.SourceContent, Location = citation.Location });
            return new CitationDeltaEvent(citation);
        }

        return null;
    }

    /// <summary>
    /// Ends the current block, adding at most one block, by priority: a tool use, then text (with its citations),
    /// then reasoning text (a signature alone is kept too), then redacted reasoning.
    /// </summary>
    private void StopBlock()
    {
        if (_toolUseId is not null)
        {
            _content.Add(new ContentBlock
            {
                ToolUse = new ToolUseBlock { ToolUseId = _toolUseId, Name = _toolName!, Input = ParseToolInput(), Type = _toolUseType },
            });
            _toolUseId = null;
            _toolName = null;
            _toolUseType = null;
            _toolInput.Clear();
        }
        else if (_text.Length > 0)
        {
            var text = _text.ToString();
            _content.Add(_citations.Count > 0
                ? new ContentBlock { CitationsContent = new CitationsContentBlock { Citations = [.. _citations], Content = [new CitationGeneratedContent { Text = text }] } }
                : ContentBlock.FromText(text));
            _text.Clear();
        }
        else if (_reasoningText.Length > 0 || _reasoningSignature.Length > 0)
        {
            _content.Add(new ContentBlock
            {
                ReasoningContent = new ReasoningContentBlock
                {
                    ReasoningText = new ReasoningTextBlock
                    {
                        Text = _reasoningText.ToString(),
                        Signature = _reasoningSignature.Length > 0 ? _reasoningSignature.ToString() : null,
                    },
                },
            });
            _reasoningText.Clear();
            _reasoningSignature.Clear();
        }
        else if (_redactedReasoning.WrittenCount > 0)
        {
            _content.Add(new ContentBlock { ReasoningContent = new ReasoningContentBlock { RedactedContent = _redactedReasoning.WrittenSpan.ToArray() } });
            _redactedReasoning.ResetWrittenCount();
        }

        _citations.Clear();
    }

    private JsonElement ParseToolInput()
    {
        if (_toolInput.Length == 0)
        {
            return JsonValues.EmptyObject;
        }

        try
        {
            return JsonValues.Parse(_toolInput.ToString());
        }
        catch (JsonException)
        {
            return JsonValues.EmptyObject;
        }
    }

    private bool HasToolUse()
    {
        foreach (var block in _content)
        {
            if (block.ToolUse is not null)
            {
                return true;
            }
        }

        return false;
    }

    private void MarkFirstByte()
    {
        if (_firstByteTimestamp == 0)
        {
            _firstByteTimestamp = timeProvider.GetTimestamp();
        }
    }
}
