using Strands.Agents;
using Strands.Bedrock.EventStream;
using Strands.Models;

namespace Strands.Bedrock.Fuzz;

/// <summary>
/// The exception types a caller is told to expect, per entry point. Anything else escaping a fuzz case is a leak.
/// Cancellation and <see cref="ArgumentException"/> are not listed: the fuzzer never cancels and never passes bad
/// arguments, so either would be a leak too.
/// </summary>
internal static class DocumentedExceptions
{
    /// <summary>What <see cref="BedrockRuntimeClient.ConverseStreamAsync"/> may throw for a bad response stream.</summary>
    public static readonly Type[] Client =
    [
        typeof(BedrockRuntimeException),   // service errors, exception/error frames, MalformedResponseException
        typeof(EventStreamException),      // corrupt framing: lengths, CRCs, headers, truncation
    ];

    /// <summary>What <see cref="Agent.InvokeAsync(string, CancellationToken)"/> may throw for a bad response stream.</summary>
    public static readonly Type[] Agent =
    [
        .. Client,
        typeof(ModelThrottledException),        // a throttlingException frame (BedrockModel's translation)
        typeof(ContextWindowOverflowException), // an error whose message says the input is too long
        typeof(MaxTokensReachedException),      // a messageStop frame with stopReason max_tokens
        typeof(IncompleteResponseException),    // a stream that ends cleanly before its messageStop frame
    ];

    /// <summary>Whether <paramref name="exception"/> is one of <paramref name="documented"/> (or derives from one).</summary>
    public static bool IsDocumented(Exception exception, Type[] documented) =>
        documented.Any(type => type.IsInstanceOfType(exception));
}
