namespace Strands.Agents;

/// <summary>
/// The default callback handler: writes the streamed answer and reasoning text, and <c>Tool #N: name</c> for each
/// tool the model starts, to a text writer (the console by default). Use its <see cref="Handle"/> method as a
/// callback handler: <c>callbackHandler: new PrintingCallbackHandler(writer).Handle</c>.
/// </summary>
/// <param name="output">Where to write; <see cref="Console.Out"/> when null.</param>
public sealed class PrintingCallbackHandler(TextWriter? output = null)
{
    private int _toolCount;

    /// <summary>Writes what an event shows.</summary>
    /// <param name="agentEvent">The event.</param>
    public void Handle(AgentEvent agentEvent)
    {
        var writer = output ?? Console.Out;
        switch (agentEvent)
        {
            case TextDeltaEvent text:
                writer.Write(text.Text);
                break;
            case ReasoningDeltaEvent { Text: { } reasoning }:
                writer.Write(reasoning);
                break;
            case ToolUseStartEvent toolUse:
                writer.Write($"\nTool #{Interlocked.Increment(ref _toolCount)}: {toolUse.Name}\n");
                break;
        }
    }
}
