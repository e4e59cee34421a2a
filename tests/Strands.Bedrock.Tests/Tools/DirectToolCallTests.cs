using System.Text.RegularExpressions;
using Strands.Agents;
using Strands.Content;
using Strands.Conversation;
using Strands.Hooks;
using Strands.Tests.TestUtilities;
using Strands.Tools;
using static Strands.Tests.Agents.AgentLoopTests;

namespace Strands.Tests.Tools;

/// <summary>Direct tool calls: <c>agent.Tool["name"].InvokeAsync(...)</c>, recorded in the history or not.</summary>
public partial class DirectToolCallTests
{
    [GeneratedRegex("^tooluse_echo_[1-9][0-9]{8}$")]
    private static partial Regex ToolUseIdPattern();

    [Fact]
    public async Task A_direct_call_returns_the_result_records_four_messages_and_fires_the_tool_hooks()
    {
        var hookEvents = new List<string>();
        var manager = new Strands.Tests.Agents.AgentResilienceTests.CountingManager(new NullConversationManager());
        var agent = new Agent(new ScriptedModel(), new AgentOptions { CallbackHandler = null, Tools = AgentTool.FromType(typeof(EchoTools)), ConversationManager = manager });
        agent.Hooks.AddCallback<BeforeToolCallEvent>(_ => hookEvents.Add("before"));
        agent.Hooks.AddCallback<AfterToolCallEvent>(_ => hookEvents.Add("after"));
        agent.Hooks.AddCallback<MessageAddedEvent>(_ => hookEvents.Add("message"));

        var result = await agent.Tool["echo"].InvokeAsync(new { text = "abcdEfghI123", extra = 1 });

        Assert.Matches(ToolUseIdPattern(), result.ToolUseId);
        Assert.Equal((ToolResultStatus.Success, "abcdEfghI123"), (result.Status!.Value, result.Content[0].Text));
        Assert.Equal(["before", "after", "message", "message", "message", "message"], hookEvents);
        Assert.Equal(4, agent.Messages.Count);
        Assert.Equal("agent.tool.echo direct tool call.\nInput parameters: {\"text\":\"abcdEfghI123\"}\n", agent.Messages[0].Content[0].Text);
        var toolUse = agent.Messages[1].Content[0].ToolUse!;
        Assert.Equal((result.ToolUseId, "echo"), (toolUse.ToolUseId, toolUse.Name));
        Assert.False(toolUse.Input.TryGetProperty("extra", out _));
        Assert.Same(result, agent.Messages[2].Content[0].ToolResult);
        Assert.Equal("agent.tool.echo was called.", agent.Messages[3].Content[0].Text);
        Assert.Equal(1, manager.ApplyCalls);
        Assert.Empty(agent.Metrics.ToolMetrics);
    }

    [Fact]
    public async Task The_user_message_override_comes_first_in_the_recorded_user_message()
    {
        var agent = new Agent(new ScriptedModel(), new AgentOptions { CallbackHandler = null, Tools = AgentTool.FromType(typeof(EchoTools)) });

        await agent.Tool["echo"].InvokeAsync(new { text = "x" }, userMessageOverride: "test override");

        Assert.Equal("test override\n", agent.Messages[0].Content[0].Text);
        Assert.StartsWith("agent.tool.echo direct tool call.", agent.Messages[0].Content[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recording_can_be_turned_off_for_the_agent_or_per_call()
    {
        var agent = new Agent(new ScriptedModel(), new AgentOptions { CallbackHandler = null, Tools = AgentTool.FromType(typeof(EchoTools)), RecordDirectToolCall = false });
        await agent.Tool["echo"].InvokeAsync(new { text = "x" });
        Assert.Empty(agent.Messages);

        agent.RecordDirectToolCall = true;
        await agent.Tool["echo"].InvokeAsync(new { text = "x" }, recordDirectToolCall: false);
        Assert.Empty(agent.Messages);
        await agent.Tool["echo"].InvokeAsync(Strands.Content.JsonValues.Parse("""{"text":"y"}"""));
        Assert.Equal(4, agent.Messages.Count);
    }

    [Fact]
    public void An_unknown_tool_throws_and_an_underscore_finds_a_hyphenated_name()
    {
        var agent = new Agent(new ScriptedModel(), new AgentOptions { CallbackHandler = null, Tools = [AgentTool.FromMethod(() => "ok", "some-tool")] });

        Assert.Equal("some-tool", agent.Tool["some_tool"].Tool.Name);
        Assert.Equal("Tool 'missing' not found", Assert.Throws<KeyNotFoundException>(() => agent.Tool["missing"]).Message);
    }

    [Fact]
    public async Task A_recorded_direct_call_from_a_running_tool_is_a_concurrency_error_result_and_an_unrecorded_one_works()
    {
        var innerRuns = 0;
        var inner = AgentTool.FromMethod(() => ++innerRuns, "inner");
        var recording = AgentTool.FromMethod(async (Agent agent) => (await agent.Tool["inner"].InvokeAsync(new { })).Content[0].Text, "outer_recording");
        var quiet = AgentTool.FromMethod(async (Agent agent) => (await agent.Tool["inner"].InvokeAsync(new { }, recordDirectToolCall: false)).Content[0].Text, "outer_quiet");
        var model = new ScriptedModel(Turn.Tools(("t1", "outer_recording", "{}")), Turn.Tools(("t2", "outer_quiet", "{}")), Turn.Text("done"));
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, Tools = [inner, recording, quiet] });

        await agent.InvokeAsync("Hi");

        var failed = agent.Messages[2].Content[0].ToolResult!;
        Assert.Equal(ToolResultStatus.Error, failed.Status);
        Assert.Equal(
            "Error: ConcurrencyException - Direct tool call cannot be made while the agent is in the middle of an invocation. Set recordDirectToolCall: false to allow direct tool calls during agent invocation.",
            failed.Content[0].Text);
        Assert.Equal("1", agent.Messages[4].Content[0].ToolResult!.Content[0].Text);
        Assert.Equal(1, innerRuns);
    }
}
