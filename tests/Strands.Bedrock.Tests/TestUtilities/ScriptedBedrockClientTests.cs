using System.Net;
using Strands.Bedrock;
using Strands.Content;
using static Strands.Tests.TestUtilities.LoopbackAssertions;

namespace Strands.Tests.TestUtilities;

/// <summary>The scripted client fake is as strict as Bedrock about conversations and plays exactly what it is given.</summary>
public class ScriptedBedrockClientTests
{
    private static ConverseStreamRequest Stream(params Message[] messages) => new() { ModelId = "m", Messages = messages };

    [Fact]
    public async Task A_conversation_Bedrock_rejects_is_a_ValidationException_in_its_words_and_uses_up_no_turn()
    {
        var bedrock = new ScriptedBedrockClient().Then(ScriptedBedrockClient.TextTurn("ok"));

        var (events, error) = await CollectAsync(bedrock.ConverseStreamAsync(Stream(Message.User("a"), Message.User("b"))));
        var answer = await CollectAsync(bedrock.ConverseStreamAsync(Stream(Message.User("a"))));

        Assert.Empty(events);
        var rejected = Assert.IsType<ValidationException>(error);
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.StartsWith("A conversation must alternate between user and assistant roles.", rejected.Message, StringComparison.Ordinal);
        Assert.Null(answer.Error);
        Assert.Equal(ScriptedBedrockClient.TextTurn("ok"), answer.Events);
        Assert.Equal(2, bedrock.StreamRequests.Count);

        var converse = new ScriptedBedrockClient().ThenRespond(new ConverseResponse());
        await Assert.ThrowsAsync<ValidationException>(() => converse.ConverseAsync(new ConverseRequest { ModelId = "m", Messages = [Message.Assistant("first")] }));
        await Assert.ThrowsAsync<ValidationException>(() => converse.ConverseAsync(new ConverseRequest { ModelId = "m" }));
    }

    [Fact]
    public async Task With_the_check_off_any_conversation_gets_the_scripted_turn()
    {
        var bedrock = new ScriptedBedrockClient { ValidateConversation = false }.Then(ScriptedBedrockClient.TextTurn("ok"));

        var (events, error) = await CollectAsync(bedrock.ConverseStreamAsync(Stream(Message.User("a"), Message.User("b"))));

        Assert.Null(error);
        Assert.Equal(5, events.Count);
    }

    [Fact]
    public async Task Turns_play_in_order_and_a_stream_error_comes_after_the_events_before_it()
    {
        var midStream = new ThrottlingException("slow down", null, null);
        var before = new ThrottlingException("too many requests", (HttpStatusCode)429, "r");
        var bedrock = new ScriptedBedrockClient()
            .Then([new MessageStartEvent()], midStream)
            .ThenThrow(before)
            .Then(ScriptedBedrockClient.TextTurn("third"));

        var first = await CollectAsync(bedrock.ConverseStreamAsync(Stream(Message.User("1"))));
        var second = await CollectAsync(bedrock.ConverseStreamAsync(Stream(Message.User("2"))));
        var third = await CollectAsync(bedrock.ConverseStreamAsync(Stream(Message.User("3"))));

        Assert.Equal([new MessageStartEvent()], first.Events);
        Assert.Same(midStream, first.Error);
        Assert.Empty(second.Events);
        Assert.Same(before, second.Error);
        Assert.Equal(ScriptedBedrockClient.TextTurn("third"), third.Events);
        Assert.Equal(["1", "2", "3"], bedrock.StreamRequests.Select(r => r.Messages![0].Content[0].Text));
    }

    [Fact]
    public async Task A_call_with_nothing_scripted_is_recorded_when_made_and_fails_when_read()
    {
        var bedrock = new ScriptedBedrockClient();

        var stream = bedrock.ConverseStreamAsync(Stream(Message.User("hi")));

        Assert.Single(bedrock.StreamRequests);
        var (_, error) = await CollectAsync(stream);
        Assert.IsType<InvalidOperationException>(error);
        await Assert.ThrowsAsync<InvalidOperationException>(() => bedrock.ConverseAsync(new ConverseRequest { ModelId = "m", Messages = [Message.User("hi")] }));
        Assert.Single(bedrock.Requests);
    }

    [Fact]
    public async Task A_scripted_Converse_error_fails_the_task()
    {
        var denied = new AccessDeniedException("no access", HttpStatusCode.Forbidden, "r");
        var bedrock = new ScriptedBedrockClient().ThenRespondWithError(denied);

        var call = bedrock.ConverseAsync(new ConverseRequest { ModelId = "m", Messages = [Message.User("hi")] });

        Assert.Same(denied, await Assert.ThrowsAsync<AccessDeniedException>(() => call));
    }
}
