using Microsoft.Extensions.Time.Testing;
using Strands.Agents;
using Strands.Content;
using Strands.Tests.TestUtilities;

namespace Strands.Tests.Agents;

/// <summary>How the stream processor turns model stream events into agent events and one assistant message.</summary>
public class StreamProcessorTests
{
    private static (StreamProcessor Processor, List<AgentEvent?> Events) Run(params StreamEvent[] events)
    {
        var processor = new StreamProcessor(new FakeTimeProvider());
        processor.Reset();
        return (processor, events.Select(processor.Process).ToList());
    }

    [Fact]
    public void Message_start_sets_the_role()
    {
        var (processor, _) = Run(new MessageStartEvent { Role = ConversationRole.User });
        Assert.Equal(ConversationRole.User, processor.BuildMessage().Role);
    }

    [Fact]
    public void A_tool_use_start_and_its_input_fragments_become_events_and_one_tool_use()
    {
        var (processor, events) = Run(Ev.ToolStart("t1", "calc"), Ev.ToolInput("{\"expr"), Ev.ToolInput("ession\": \"1+1\"}"), Ev.BlockStop());

        Assert.Equal(new ToolUseStartEvent("t1", "calc"), events[0]);
        Assert.Equal(new ToolUseInputDeltaEvent("t1", "calc", "{\"expr"), events[1]);
        Assert.Equal(new ToolUseInputDeltaEvent("t1", "calc", "ession\": \"1+1\"}"), events[2]);
        var toolUse = Assert.Single(processor.BuildMessage().Content).ToolUse!;
        Assert.Equal(("t1", "calc", "1+1"), (toolUse.ToolUseId, toolUse.Name, toolUse.Input.GetProperty("expression").GetString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{\"broken")]
    [InlineData("")]
    public void Missing_or_invalid_tool_input_is_an_empty_object(string? input)
    {
        var events = new List<StreamEvent> { Ev.ToolStart("t1", "calc") };
        if (input is not null)
        {
            events.Add(Ev.ToolInput(input));
        }

        events.Add(Ev.BlockStop());
        var (processor, _) = Run([.. events]);

        Assert.Equal("{}", processor.BuildMessage().Content[0].ToolUse!.Input.GetRawText());
    }

    [Fact]
    public void A_block_start_without_a_tool_use_emits_and_adds_nothing()
    {
        var (processor, events) = Run(new ContentBlockStartEvent(), Ev.ToolInput("ignored"), Ev.BlockStop());
        Assert.All(events, Assert.Null);
        Assert.Empty(processor.BuildMessage().Content);
    }

    [Fact]
    public void Text_deltas_of_a_block_are_concatenated()
    {
        var (processor, events) = Run(Ev.Text("Hello "), Ev.Text("world"), Ev.BlockStop(), Ev.Text("Second"), Ev.BlockStop());

        Assert.Equal(new TextDeltaEvent("Hello "), events[0]);
        Assert.Equal(["Hello world", "Second"], processor.BuildMessage().Content.Select(b => b.Text));
    }

    [Fact]
    public void Reasoning_text_signature_and_redacted_content_accumulate()
    {
        var (processor, events) = Run(
            Ev.Reasoning("I think"), Ev.Reasoning(" so"), Ev.Signature("test-"), Ev.Signature("signature"), Ev.BlockStop(),
            Ev.Redacted([1, 2]), Ev.Redacted([3]), Ev.BlockStop());

        Assert.Equal("I think", ((ReasoningDeltaEvent)events[0]!).Text);
        Assert.Equal("test-", ((ReasoningDeltaEvent)events[2]!).Signature);
        Assert.Equal([1, 2], ((ReasoningDeltaEvent)events[5]!).RedactedContent!.Value.ToArray());
        var content = processor.BuildMessage().Content;
        Assert.Equal(("I think so", "test-signature"), (content[0].ReasoningContent!.ReasoningText!.Text, content[0].ReasoningContent!.ReasoningText!.Signature));
        Assert.Equal([1, 2, 3], content[1].ReasoningContent!.RedactedContent);
    }

    [Fact]
    public void Reasoning_without_a_signature_has_none_and_signature_only_blocks_are_kept()
    {
        var (processor, _) = Run(Ev.Reasoning("plain"), Ev.BlockStop(), Ev.Signature("only"), Ev.BlockStop());

        var content = processor.BuildMessage().Content;
        Assert.Null(content[0].ReasoningContent!.ReasoningText!.Signature);
        Assert.Equal(("", "only"), (content[1].ReasoningContent!.ReasoningText!.Text, content[1].ReasoningContent!.ReasoningText!.Signature));
    }

    [Fact]
    public void Empty_deltas_emit_nothing_and_change_nothing()
    {
        var (processor, events) = Run(
            new ContentBlockDeltaEvent(),
            new ContentBlockDeltaEvent { Delta = new ContentBlockDelta { ReasoningContent = new ReasoningContentBlockDelta() } },
            Ev.Text(""),
            Ev.BlockStop());

        Assert.All(events, Assert.Null);
        Assert.Empty(processor.BuildMessage().Content);
    }

    [Fact]
    public void Citations_with_text_become_citations_content_and_without_text_nothing()
    {
        var (processor, events) = Run(Ev.Citation("Doc A"), Ev.Citation("Doc B"), Ev.Text("cited text"), Ev.BlockStop(), Ev.Citation("orphan"), Ev.BlockStop(), Ev.Text("plain"), Ev.BlockStop());

        Assert.Equal("Doc A", ((CitationDeltaEvent)events[0]!).Citation.Title);
        var content = processor.BuildMessage().Content;
        Assert.Equal(2, content.Count);
        Assert.Equal(["Doc A", "Doc B"], content[0].CitationsContent!.Citations!.Select(c => c.Title));
        Assert.Equal("cited text", content[0].CitationsContent!.Content![0].Text);
        Assert.Equal("plain", content[1].Text);
    }

    [Fact]
    public void A_block_stop_with_nothing_accumulated_adds_nothing()
    {
        var (processor, _) = Run(Ev.BlockStop(), Ev.BlockStop());
        Assert.Empty(processor.BuildMessage().Content);
    }

    [Theory]
    [InlineData("end_turn", true, "tool_use")]
    [InlineData("tool_use", true, "tool_use")]
    [InlineData("end_turn", false, "end_turn")]
    [InlineData("max_tokens", true, "max_tokens")]
    public void Message_stop_end_turn_with_a_tool_use_becomes_tool_use(string reported, bool withToolUse, string expected)
    {
        var events = withToolUse ? new StreamEvent[] { Ev.ToolStart("t", "x"), Ev.BlockStop() } : [Ev.Text("x"), Ev.BlockStop()];
        var (processor, _) = Run([.. events, Ev.Stop(StopReason.FromWire(reported))]);

        Assert.Equal(expected, processor.StopReason.Value);
        Assert.Equal(reported == "end_turn" && withToolUse, processor.StopReasonCorrected);
    }

    [Fact]
    public void No_message_stop_means_end_turn_and_no_metadata_means_zero_usage()
    {
        var (processor, _) = Run(Ev.Text("x"), Ev.BlockStop());

        Assert.Equal(StopReason.EndTurn, processor.StopReason);
        Assert.Equal(new TokenUsage(), processor.Usage);
        Assert.Equal(0, processor.LatencyMs);
    }

    [Fact]
    public void Metadata_passes_usage_with_cache_tokens_and_latency_through()
    {
        var usage = new TokenUsage { InputTokens = 1, OutputTokens = 2, TotalTokens = 3, CacheReadInputTokens = 4, CacheWriteInputTokens = 5 };
        var (processor, _) = Run(Ev.Metadata(usage, 123));

        Assert.Equal(usage, processor.Usage);
        Assert.Equal(123, processor.LatencyMs);
    }

    [Fact]
    public void Time_to_first_byte_is_measured_at_the_first_content_event()
    {
        var clock = new FakeTimeProvider();
        var processor = new StreamProcessor(clock);
        processor.Reset();
        processor.Process(Ev.Start());
        Assert.Null(processor.TimeToFirstByte);
        clock.Advance(TimeSpan.FromMilliseconds(250));
        processor.Process(Ev.Text("x"));
        clock.Advance(TimeSpan.FromSeconds(1));
        processor.Process(Ev.Text("y"));

        Assert.Equal(TimeSpan.FromMilliseconds(250), processor.TimeToFirstByte);
    }

    [Fact]
    public void Assistant_redaction_replaces_the_content()
    {
        var (processor, events) = Run(Ev.Text("secret"), Ev.BlockStop(), new RedactContentEvent { RedactAssistantContentMessage = "[redacted]" });

        Assert.Null(events[2]);
        Assert.Equal("[redacted]", Assert.Single(processor.BuildMessage().Content).Text);
    }

    [Fact]
    public void Reset_forgets_the_previous_call()
    {
        var processor = new StreamProcessor(new FakeTimeProvider());
        processor.Reset();
        processor.Process(Ev.Text("dangling"));
        processor.Process(Ev.Stop(StopReason.MaxTokens));
        processor.Reset();
        processor.Process(Ev.Text("fresh"));
        processor.Process(Ev.BlockStop());

        Assert.Equal("fresh", Assert.Single(processor.BuildMessage().Content).Text);
        Assert.Equal(StopReason.EndTurn, processor.StopReason);
    }
}
