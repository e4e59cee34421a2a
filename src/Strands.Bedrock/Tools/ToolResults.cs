using Strands.Content;

namespace Strands.Tools;

/// <summary>Shorthands for tool results; the agent fills in <see cref="ToolResultBlock.ToolUseId"/>.</summary>
public static class ToolResults
{
    /// <summary>A successful result with one text block.</summary>
    /// <param name="text">The text.</param>
    public static ToolResultBlock Success(string text) => Create(ToolResultStatus.Success, text);

    /// <summary>An error result with one text block, for the model to read.</summary>
    /// <param name="text">What went wrong.</param>
    public static ToolResultBlock Error(string text) => Create(ToolResultStatus.Error, text);

    internal static ToolResultBlock Create(ToolResultStatus status, string text, string toolUseId = "")
        => new() { ToolUseId = toolUseId, Status = status, Content = [ToolResultContentBlock.FromText(text)] };
}
