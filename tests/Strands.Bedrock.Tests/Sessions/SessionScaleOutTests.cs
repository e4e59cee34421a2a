using Strands.Agents;
using Strands.Content;
using Strands.Conversation;
using Strands.Sessions;
using Strands.Tests.TestUtilities;
using Strands.Tools;

namespace Strands.Tests.Sessions;

/// <summary>
/// Scale-out: two hosts that share nothing but an S3 bucket (each its own S3 client, session manager and agent per
/// request) take turns on one conversation, and end with exactly the history one agent would have built.
/// </summary>
[Collection(S3ServerGroup.Name)]
public sealed class SessionScaleOutTests(S3TestServer server)
{
    private static readonly (string Prompt, Turn[] Model, string? StateValue)[] Script =
    [
        ("Hi, I'm Ada.", [Turn.Text("Hello Ada!")], null),
        ("What is 2+3?", [Turn.Tools(("t1", "calculator", """{"expression":"2+3"}""")), Turn.Text("It is 5.")], "2+3"),
        ("Remember that I like tea.", [Turn.Text("Noted: tea.")], "tea"),
        ("And 6*7?", [Turn.ToolsAfterText("Let me compute.", ("t2", "calculator", """{"expression":"6*7"}""")), Turn.Text("42.")], "6*7"),
        ("What do I like?", [Turn.Text("Tea.")], null),
        ("Thanks, bye.", [Turn.Text("Bye Ada!")], "done"),
    ];

    [Fact]
    public async Task Two_hosts_taking_turns_through_S3_build_exactly_the_history_of_one_agent()
    {
        // The reference: one agent, in memory, all turns.
        var referenceModel = new ScriptedModel([.. Script.SelectMany(s => s.Model.Select(Clone))]);
        var reference = NewAgent(referenceModel, null);
        foreach (var (prompt, _, state) in Script)
        {
            if (state is not null)
            {
                reference.State.Set("last", JsonValues.Parse($"\"{state}\""));
            }

            await reference.InvokeAsync(prompt);
        }

        // Two hosts: nothing shared but the bucket and the session id.
        var prefix = $"scale-out/{Guid.NewGuid():N}";
        using var hostA = server.NewRepository(prefix);
        using var hostB = server.NewRepository(prefix);
        var calls = new List<ModelCall>();
        for (var i = 0; i < Script.Length; i++)
        {
            var (prompt, turns, state) = Script[i];
            var manager = new RepositorySessionManager("conversation-1", i % 2 == 0 ? hostA : hostB);
            var model = new ScriptedModel([.. turns.Select(Clone)]);
            var agent = NewAgent(model, manager);
            await manager.InitializeAsync(agent);
            if (state is not null)
            {
                agent.State.Set("last", JsonValues.Parse($"\"{state}\""));
            }

            await agent.InvokeAsync(prompt);
            calls.AddRange(model.Calls);
        }

        // Every model call saw what the single agent's model saw, and the stored conversation is the single agent's.
        Assert.Equal(referenceModel.Calls.Select(c => TestJson.Of(c.Messages)), calls.Select(c => TestJson.Of(c.Messages)));
        using var hostC = server.NewRepository(prefix);
        var stored = await hostC.ListMessagesAsync("conversation-1", "default");
        Assert.Equal(TestJson.Of(reference.Messages), TestJson.Of(stored.Select(m => m.Message)));
        Assert.Equal(Enumerable.Range(0, reference.Messages.Count), stored.Select(m => m.MessageId));
        var restoredManager = new RepositorySessionManager("conversation-1", hostC);
        var restored = NewAgent(new ScriptedModel(), restoredManager);
        await restoredManager.InitializeAsync(restored);
        Assert.Equal(TestJson.Of(reference.Messages), TestJson.Of(restored.Messages));
        Assert.Equal("done", restored.State.Get("last")!.Value.GetString());
    }

    private static Agent NewAgent(ScriptedModel model, SessionManager? sessionManager) => new(model, new AgentOptions
    {
        CallbackHandler = null,
        Tools = [BuiltInTools.Calculator],
        SessionManager = sessionManager,
        ConversationManager = new SlidingWindowConversationManager(),
        RetryStrategy = ModelRetryStrategy.None,
    });

    private static Turn Clone(Turn turn) => new(turn.Events);
}
