using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Strands.Bedrock.Json;
using Strands.Content;

namespace Strands.Tests.TestUtilities;

/// <summary>A fake clock whose timers fire at once, recording each delay: retry back-off runs instantly and deterministically.</summary>
public sealed class AutoAdvancingTimeProvider : FakeTimeProvider
{
    private readonly List<TimeSpan> _delays = [];

    public IReadOnlyList<TimeSpan> Delays
    {
        get
        {
            lock (_delays)
            {
                return [.. _delays];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (_delays)
            {
                _delays.Add(dueTime);
            }

            Advance(dueTime);
        }

        return timer;
    }
}

public static class TestJson
{
    public static string Of(Message message) => JsonSerializer.Serialize(message, BedrockJsonContext.Default.Message);

    public static string Of(IEnumerable<Message> messages) => JsonSerializer.Serialize(messages.ToList(), BedrockJsonContext.Default.ListMessage);

    public static string Texts(Message message) => string.Join("|", message.Content.Select(b => b.Text ?? (b.ToolResult is { Content.Count: > 0 } r ? r.Content[0].Text : null) ?? (b.ToolUse is { } u ? $"toolUse:{u.Name}" : "?")));

    public static string ResultText(ToolResultBlock result) => result.Content.Count > 0 ? result.Content[0].Text ?? "" : "";
}
