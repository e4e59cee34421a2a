using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Strands.Bedrock.Json;
using Strands.Content;

namespace Strands.Tests.TestUtilities;

/// <summary>Helpers for the loopback tests of BedrockModel and Agent against the fake Bedrock.</summary>
public static class LoopbackAssertions
{
    /// <summary>Collects a model stream until it ends or throws; the exception is returned, not thrown.</summary>
    public static async Task<(List<StreamEvent> Events, Exception? Error)> CollectAsync(IAsyncEnumerable<StreamEvent> stream, CancellationToken cancellationToken = default)
    {
        var events = new List<StreamEvent>();
        try
        {
            await foreach (var e in stream.WithCancellation(cancellationToken))
            {
                events.Add(e);
            }
        }
        catch (Exception ex)
        {
            return (events, ex);
        }

        return (events, null);
    }

    /// <summary>Collects a model stream that must end without an error.</summary>
    public static async Task<List<StreamEvent>> CollectOkAsync(IAsyncEnumerable<StreamEvent> stream)
    {
        var (events, error) = await CollectAsync(stream);
        Assert.Null(error);
        return events;
    }

    /// <summary>An event as <c>{"eventType": payload}</c> JSON, for order-insensitive-to-key comparison.</summary>
    public static JsonNode ToJson(StreamEvent e)
    {
        var context = BedrockJsonContext.Default;
        JsonNode? payload = e switch
        {
            MessageStartEvent m => JsonSerializer.SerializeToNode(m, context.MessageStartEvent),
            ContentBlockStartEvent s => JsonSerializer.SerializeToNode(s, context.ContentBlockStartEvent),
            ContentBlockDeltaEvent d => JsonSerializer.SerializeToNode(d, context.ContentBlockDeltaEvent),
            ContentBlockStopEvent s => JsonSerializer.SerializeToNode(s, context.ContentBlockStopEvent),
            MessageStopEvent s => JsonSerializer.SerializeToNode(s, context.MessageStopEvent),
            MetadataEvent m => JsonSerializer.SerializeToNode(m, context.MetadataEvent),
            RedactContentEvent r => JsonSerializer.SerializeToNode(r, context.RedactContentEvent),
            _ => throw new ArgumentException($"Unexpected event {e.GetType().Name}", nameof(e)),
        };
        payload!.AsObject().Remove("eventType");
        return new JsonObject { [e.EventType] = payload };
    }

    /// <summary>
    /// The events with consecutive text, tool-input and reasoning-text deltas of one block joined into one delta:
    /// how a turn reads regardless of how the wire chunked it.
    /// </summary>
    public static List<string> Canonical(IEnumerable<StreamEvent> events)
    {
        var result = new List<StreamEvent>();
        foreach (var e in events)
        {
            if (e is ContentBlockDeltaEvent delta && result.Count > 0 && result[^1] is ContentBlockDeltaEvent previous
                && previous.ContentBlockIndex == delta.ContentBlockIndex && Join(previous.Delta, delta.Delta) is { } joined)
            {
                result[^1] = previous with { Delta = joined };
                continue;
            }

            result.Add(e);
        }

        return result.Select(e => ToJson(e).ToJsonString()).ToList();

        static ContentBlockDelta? Join(ContentBlockDelta a, ContentBlockDelta b)
        {
            if (a.Text is not null && b.Text is not null)
            {
                return new ContentBlockDelta { Text = a.Text + b.Text };
            }

            if (a.ToolUse is not null && b.ToolUse is not null)
            {
                return new ContentBlockDelta { ToolUse = new ToolUseBlockDelta { Input = a.ToolUse.Input + b.ToolUse.Input } };
            }

            if (a.ReasoningContent is { Text: { } ta, Signature: null, RedactedContent: null }
                && b.ReasoningContent is { Text: { } tb, Signature: null, RedactedContent: null })
            {
                return new ContentBlockDelta { ReasoningContent = new ReasoningContentBlockDelta { Text = ta + tb } };
            }

            return null;
        }
    }

    /// <summary>The body a fake received, parsed.</summary>
    public static JsonObject Body(Strands.Bedrock.Testing.RecordedRequest request) => JsonNode.Parse(request.Body)!.AsObject();

    /// <summary>
    /// Asserts a conversation Bedrock accepts: it starts with a user message, roles alternate, and every assistant tool
    /// use is answered by a tool result with its id in the next (user) message, in request order, and nothing else.
    /// </summary>
    public static void AssertHistoryValid(IEnumerable<Message> history)
    {
        var messages = history.ToList();
        Assert.NotEmpty(messages);
        Assert.Equal(ConversationRole.User, messages[0].Role);
        for (var i = 0; i < messages.Count; i++)
        {
            Assert.NotEmpty(messages[i].Content);
            if (i > 0)
            {
                Assert.NotEqual(messages[i - 1].Role, messages[i].Role);
            }

            var toolUseIds = messages[i].Content.Where(b => b.ToolUse is not null).Select(b => b.ToolUse!.ToolUseId).ToList();
            if (messages[i].Role == ConversationRole.Assistant && toolUseIds.Count > 0 && i + 1 < messages.Count)
            {
                var resultIds = messages[i + 1].Content.Where(b => b.ToolResult is not null).Select(b => b.ToolResult!.ToolUseId).ToList();
                Assert.Equal(toolUseIds, resultIds);
            }

            if (messages[i].Content.Any(b => b.ToolResult is not null))
            {
                Assert.True(i > 0 && messages[i - 1].Content.Any(b => b.ToolUse is not null), $"Message {i} answers tool uses that message {i - 1} does not have.");
            }
        }
    }

    /// <summary>
    /// Awaits <paramref name="task"/> while advancing <paramref name="clock"/> one step at a time, so that a fake
    /// server's event delays on that clock pass. Polling only drives the clock; nothing is asserted about time.
    /// </summary>
    public static async Task<T> AdvanceUntilDoneAsync<T>(FakeTimeProvider clock, Task<T> task, TimeSpan step)
    {
        while (!task.IsCompleted)
        {
            clock.Advance(step);
            await Task.WhenAny(task, Task.Delay(5));
        }

        return await task;
    }

    /// <summary>Like <see cref="AdvanceUntilDoneAsync{T}"/>, for a task without a result.</summary>
    public static async Task AdvanceUntilDoneAsync(FakeTimeProvider clock, Task task, TimeSpan step)
    {
        while (!task.IsCompleted)
        {
            clock.Advance(step);
            await Task.WhenAny(task, Task.Delay(5));
        }

        await task;
    }
}
