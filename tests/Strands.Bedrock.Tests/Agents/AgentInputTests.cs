using Strands.Agents;
using Strands.Content;
using Strands.Hooks;
using Strands.Tests.TestUtilities;
using static Strands.Tests.Agents.AgentLoopTests;

namespace Strands.Tests.Agents;

/// <summary>What an invocation accepts as input, and how input joins the history.</summary>
public class AgentInputTests
{
    public static TheoryData<string> BlankPrompts => ["", " ", "\n\t "];

    [Theory]
    [MemberData(nameof(BlankPrompts))]
    public async Task A_blank_prompt_is_refused_before_any_request(string prompt)
    {
        var model = new ScriptedModel(Turn.Text("never"));
        var agent = NewAgent(model);

        await Assert.ThrowsAsync<ArgumentException>(() => agent.InvokeAsync(prompt));
        Assert.Throws<ArgumentException>(() => agent.StreamAsync(prompt));

        Assert.Empty(model.Calls);
        Assert.Empty(agent.Messages);
    }

    [Fact]
    public async Task Empty_content_a_message_without_content_and_blank_text_blocks_are_refused()
    {
        var model = new ScriptedModel(Turn.Text("never"));
        var agent = NewAgent(model);

        await Assert.ThrowsAsync<ArgumentException>(() => agent.InvokeAsync(Array.Empty<ContentBlock>()));
        await Assert.ThrowsAsync<ArgumentException>(() => agent.InvokeAsync([ContentBlock.FromText("fine"), ContentBlock.FromText("  ")]));
        await Assert.ThrowsAsync<ArgumentException>(() => agent.InvokeAsync(Array.Empty<Message>()));
        await Assert.ThrowsAsync<ArgumentException>(() => agent.InvokeAsync([new Message { Role = ConversationRole.User, Content = [] }]));
        await Assert.ThrowsAsync<ArgumentException>(() => agent.InvokeAsync([Message.User("ok"), Message.Assistant("")]));

        Assert.Empty(model.Calls);
        Assert.Empty(agent.Messages);
    }

    [Fact]
    public async Task Running_on_an_empty_history_without_input_is_refused()
    {
        var model = new ScriptedModel(Turn.Text("never"));
        var agent = NewAgent(model);

        await Assert.ThrowsAsync<InvalidOperationException>(() => agent.InvokeAsync());

        Assert.Empty(model.Calls);
    }

    [Fact]
    public async Task Input_joining_an_unanswered_user_message_raises_MessageReplaced_not_MessageAdded()
    {
        var model = new ScriptedModel(Turn.Throws(new InvalidDataException("down")), Turn.Text("Both answered."));
        var agent = NewAgent(model);
        var events = new List<string>();
        agent.Hooks.AddCallback<MessageAddedEvent>(e => events.Add($"added {TestJson.Texts(e.Message)}"));
        agent.Hooks.AddCallback<MessageReplacedEvent>(e => events.Add($"replaced {TestJson.Texts(e.Previous)} -> {TestJson.Texts(e.Message)}"));

        await Assert.ThrowsAsync<InvalidDataException>(() => agent.InvokeAsync("first"));
        await agent.InvokeAsync("second");

        Assert.Equal(["added first", "replaced first -> first|second", "added Both answered."], events);
        Assert.Equal(["first", "second"], model.Calls[1].Messages.Single().Content.Select(b => b.Text!).ToArray());
    }

    [Fact]
    public async Task The_model_continuing_a_trailing_assistant_message_extends_it()
    {
        var model = new ScriptedModel(Turn.Text("\"Paris\"}"));
        var agent = NewAgent(model, messages: [Message.User("Answer in JSON: the capital of France?"), Message.Assistant("{\"capital\": ")]);

        var result = await agent.InvokeAsync();

        var answer = Assert.Single(agent.Messages.Skip(1));
        Assert.Equal(["{\"capital\": ", "\"Paris\"}"], answer.Content.Select(b => b.Text!).ToArray());
        Assert.Same(answer, result.Message);
    }
}
