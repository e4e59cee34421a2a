using System.Text.Json;
using Strands.Content;

namespace Strands.Bedrock.Testing;

/// <summary>
/// One scripted answer of the fake Bedrock Runtime. The same value answers a Converse call (one JSON body) and a
/// ConverseStream call (event-stream frames), so a test can show both modes give the same result. Immutable: start
/// from a factory (<see cref="Text"/>, <see cref="ToolUse(string, string, string?)"/>, <see cref="Blocks"/>,
/// <see cref="Reasoning"/>, <see cref="Citations"/>, <see cref="Error"/>, <see cref="RawStream"/>, …) and refine it
/// with the <c>With…</c> methods.
/// </summary>
/// <remarks>
/// <para>ConverseStream rendering: <c>messageStart</c>; for each block, text → text deltas of at most
/// <see cref="TextDeltaLength"/> characters; tool use → <c>contentBlockStart</c> and two <c>toolUse.input</c> deltas
/// (the JSON split in two); reasoning → text deltas and a signature delta; redacted reasoning → one
/// <c>redactedContent</c> delta; citations → text deltas and one citation delta per citation; each block then a
/// <c>contentBlockStop</c>; then <c>messageStop</c> and <c>metadata</c>. Every event payload carries a <c>"p"</c>
/// padding member, as the service's do.</para>
/// <para>Converse rendering: the ConverseResponse JSON with an <c>x-amzn-RequestId</c> header. A mid-stream fault
/// (<see cref="WithStreamExceptionAfter"/>, <see cref="WithErrorFrameAfter"/>) becomes the equivalent HTTP error
/// there: <c>modelStreamErrorException</c> → 424 <c>ModelStreamErrorException</c>, <c>throttlingException</c> → 429,
/// <c>validationException</c> → 400, <c>serviceUnavailableException</c> → 503, anything else → 500.</para>
/// </remarks>
public sealed record FakeResponse
{
    /// <summary>The signature <see cref="FakeBlocks.Reasoning"/> uses when none is given.</summary>
    public const string DefaultReasoningSignature = "EqQBCkYIARgCIkDfakeSignature";

    /// <summary>The default most characters of one text delta in a stream.</summary>
    public const int DefaultTextDeltaLength = 16;

    /// <summary>The usage reported when none is scripted: 10 input and 20 output tokens.</summary>
    public static TokenUsage DefaultUsage { get; } = new() { InputTokens = 10, OutputTokens = 20, TotalTokens = 30 };

    /// <summary>The assistant message's content blocks.</summary>
    public IReadOnlyList<ContentBlock> Content { get; init; } = [];

    /// <summary>The stop reason; null means <c>tool_use</c> when the content has a tool use, else <c>end_turn</c>.</summary>
    public StopReason? StopReason { get; init; }

    /// <summary>The token usage reported.</summary>
    public TokenUsage Usage { get; init; } = DefaultUsage;

    /// <summary>The service latency reported in <c>metrics.latencyMs</c>.</summary>
    public long LatencyMs { get; init; } = 100;

    /// <summary>The trace reported (guardrail assessments, prompt router).</summary>
    public ConverseTrace? Trace { get; init; }

    /// <summary>Model-specific response fields reported.</summary>
    public JsonElement? AdditionalModelResponseFields { get; init; }

    /// <summary>The <c>x-amzn-RequestId</c> of the response; null for a new GUID.</summary>
    public string? RequestId { get; init; }

    /// <summary>The most characters of one text (or reasoning text) delta in a stream.</summary>
    public int TextDeltaLength { get; init; } = DefaultTextDeltaLength;

    /// <summary>When set, the call fails with this HTTP error instead (before any stream frame).</summary>
    public FakeError? HttpError { get; init; }

    /// <summary>When set, the stream ends with this <c>exception</c> or <c>error</c> frame after some events.</summary>
    public FakeStreamFault? StreamFault { get; init; }

    /// <summary>
    /// When set, the connection is closed once this many body bytes were sent, without ending the body: the client
    /// receives exactly these bytes and then fails with an <see cref="HttpIOException"/> ("the response ended
    /// prematurely"). A body shorter than this is sent whole before the connection closes (a ConverseStream body then
    /// lacks its end; a Converse body is complete).
    /// </summary>
    public long? ConnectionDropAfterBytes { get; init; }

    /// <summary>
    /// The wait before each stream event (after the response headers). A Converse call waits this long times the
    /// number of events the stream would have had before it answers.
    /// </summary>
    public TimeSpan EventDelay { get; init; }

    /// <summary>
    /// When set, the stream body is written (and flushed) in pieces of exactly this many bytes, cutting across frame
    /// boundaries; otherwise each event frame is written and flushed on its own, as the service sends them.
    /// </summary>
    public int? ChunkSize { get; init; }

    /// <summary>When set, this exact body is served, whatever the operation (see <see cref="RawStream"/> and <see cref="RawBody"/>).</summary>
    public FakeRawBody? Raw { get; init; }

    /// <summary>The stop reason that is sent: <see cref="StopReason"/>, or the default it stands for.</summary>
    public StopReason EffectiveStopReason =>
        StopReason ?? (Content.Any(b => b.ToolUse is not null) ? Strands.Content.StopReason.ToolUse : Strands.Content.StopReason.EndTurn);

    /// <summary>A text answer.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The response.</returns>
    public static FakeResponse Text(string text) => new() { Content = [FakeBlocks.Text(text)] };

    /// <summary>A tool use (stop reason <c>tool_use</c>).</summary>
    /// <param name="name">The tool's name.</param>
    /// <param name="inputJson">The input as JSON text.</param>
    /// <param name="toolUseId">The tool use id; default: a new one.</param>
    /// <returns>The response.</returns>
    public static FakeResponse ToolUse(string name, string inputJson, string? toolUseId = null) =>
        new() { Content = [FakeBlocks.ToolUse(name, inputJson, toolUseId)] };

    /// <summary>A tool use (stop reason <c>tool_use</c>).</summary>
    /// <param name="name">The tool's name.</param>
    /// <param name="input">The input.</param>
    /// <param name="toolUseId">The tool use id; default: a new one.</param>
    /// <returns>The response.</returns>
    public static FakeResponse ToolUse(string name, JsonElement input, string? toolUseId = null) =>
        new() { Content = [FakeBlocks.ToolUse(name, input, toolUseId)] };

    /// <summary>An answer of several content blocks (build them with <see cref="FakeBlocks"/>).</summary>
    /// <param name="blocks">Text, tool use, reasoning or citations blocks.</param>
    /// <returns>The response.</returns>
    /// <exception cref="ArgumentException">A block is of a kind the fake cannot stream.</exception>
    public static FakeResponse Blocks(params ContentBlock[] blocks) => new FakeResponse().AppendBlocks(blocks);

    /// <summary>Reasoning (text and signature), followed by the answer text when given.</summary>
    /// <param name="reasoning">The reasoning text.</param>
    /// <param name="answer">The answer text; null for none.</param>
    /// <param name="signature">The reasoning signature.</param>
    /// <returns>The response.</returns>
    public static FakeResponse Reasoning(string reasoning, string? answer = null, string signature = DefaultReasoningSignature) =>
        answer is null ? Blocks(FakeBlocks.Reasoning(reasoning, signature)) : Blocks(FakeBlocks.Reasoning(reasoning, signature), FakeBlocks.Text(answer));

    /// <summary>Redacted reasoning, followed by the answer text when given.</summary>
    /// <param name="redactedContent">The opaque reasoning bytes.</param>
    /// <param name="answer">The answer text; null for none.</param>
    /// <returns>The response.</returns>
    public static FakeResponse RedactedReasoning(byte[] redactedContent, string? answer = null) =>
        answer is null ? Blocks(FakeBlocks.RedactedReasoning(redactedContent)) : Blocks(FakeBlocks.RedactedReasoning(redactedContent), FakeBlocks.Text(answer));

    /// <summary>Text with citations.</summary>
    /// <param name="text">The generated text.</param>
    /// <param name="citations">The citations; default: one web citation.</param>
    /// <returns>The response.</returns>
    public static FakeResponse Citations(string text, params Citation[] citations) => Blocks(FakeBlocks.Citations(text, citations));

    /// <summary>
    /// A service error: the HTTP status, <c>x-amzn-ErrorType: <paramref name="errorType"/></c> and
    /// <c>{"message": …}</c>, as Bedrock sends them, for Converse and ConverseStream alike.
    /// </summary>
    /// <param name="errorType">The error code, e.g. <c>ThrottlingException</c>.</param>
    /// <param name="statusCode">The HTTP status, e.g. 429.</param>
    /// <param name="message">The message.</param>
    /// <returns>The response.</returns>
    public static FakeResponse Error(string errorType, int statusCode, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(errorType);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        return new FakeResponse { HttpError = new FakeError(errorType, statusCode, message ?? "") };
    }

    /// <summary>Serves <paramref name="eventStreamBytes"/> verbatim as a 200 <c>application/vnd.amazon.eventstream</c> body.</summary>
    /// <param name="eventStreamBytes">The body, e.g. a golden fixture.</param>
    /// <param name="chunkSize">The size of each write (the fixtures were captured with 37-byte chunks).</param>
    /// <returns>The response.</returns>
    public static FakeResponse RawStream(byte[] eventStreamBytes, int chunkSize = 37)
    {
        ArgumentNullException.ThrowIfNull(eventStreamBytes);
        return new FakeResponse { Raw = new FakeRawBody(200, "application/vnd.amazon.eventstream", eventStreamBytes.ToArray()) }
            .WithChunkSize(chunkSize);
    }

    /// <summary>Serves any body verbatim, e.g. an error in a shape the other factories do not produce.</summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="body">The body text.</param>
    /// <param name="contentType">The content type.</param>
    /// <param name="headers">Extra response headers.</param>
    /// <returns>The response.</returns>
    public static FakeResponse RawBody(int statusCode, string body, string contentType = "application/json", IReadOnlyDictionary<string, string>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new FakeResponse { Raw = new FakeRawBody(statusCode, contentType, System.Text.Encoding.UTF8.GetBytes(body), headers) };
    }

    /// <summary>Appends content blocks.</summary>
    /// <param name="blocks">Text, tool use, reasoning or citations blocks.</param>
    /// <returns>A copy with the blocks appended.</returns>
    /// <exception cref="ArgumentException">A block is of a kind the fake cannot stream.</exception>
    public FakeResponse AppendBlocks(params ContentBlock[] blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        foreach (var block in blocks)
        {
            ArgumentNullException.ThrowIfNull(block, nameof(blocks));
            if (block.Text is null && block.ToolUse is null && block.ReasoningContent is null && block.CitationsContent is null)
            {
                throw new ArgumentException("A FakeResponse block must be text, toolUse, reasoningContent or citationsContent (use FakeBlocks).", nameof(blocks));
            }
        }

        return this with { Content = [.. Content, .. blocks] };
    }

    /// <summary>Sets the reported token usage; the total is the sum of all four counts.</summary>
    /// <param name="input">Input tokens (not read from or written to the cache).</param>
    /// <param name="output">Output tokens.</param>
    /// <param name="cacheRead">Tokens read from the prompt cache; null to omit.</param>
    /// <param name="cacheWrite">Tokens written to the prompt cache; null to omit.</param>
    /// <returns>A copy with the usage.</returns>
    public FakeResponse WithUsage(int input, int output, int? cacheRead = null, int? cacheWrite = null) =>
        this with
        {
            Usage = new TokenUsage
            {
                InputTokens = input,
                OutputTokens = output,
                TotalTokens = input + output + (cacheRead ?? 0) + (cacheWrite ?? 0),
                CacheReadInputTokens = cacheRead,
                CacheWriteInputTokens = cacheWrite,
            },
        };

    /// <summary>Sets the reported token usage exactly.</summary>
    /// <param name="usage">The usage.</param>
    /// <returns>A copy with the usage.</returns>
    public FakeResponse WithUsage(TokenUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return this with { Usage = usage };
    }

    /// <summary>Sets the stop reason, e.g. <c>StopReason.MaxTokens</c>.</summary>
    /// <param name="stopReason">The stop reason.</param>
    /// <returns>A copy with the stop reason.</returns>
    public FakeResponse WithStopReason(StopReason stopReason) => this with { StopReason = stopReason };

    /// <summary>Sets the reported latency.</summary>
    /// <param name="latencyMs">Milliseconds.</param>
    /// <returns>A copy with the latency.</returns>
    public FakeResponse WithLatency(long latencyMs) => this with { LatencyMs = latencyMs };

    /// <summary>Sets the reported trace.</summary>
    /// <param name="trace">The trace.</param>
    /// <returns>A copy with the trace.</returns>
    public FakeResponse WithTrace(ConverseTrace? trace) => this with { Trace = trace };

    /// <summary>
    /// A guardrail intervention: stop reason <c>guardrail_intervened</c> and a guardrail trace whose input assessment
    /// and/or output assessment has a content-policy finding with action <c>BLOCKED</c>. The content is left as scripted
    /// (script the guardrail's blocked message as the text, as the service returns it).
    /// </summary>
    /// <param name="input">Whether the input assessment blocked.</param>
    /// <param name="output">Whether the output assessment blocked.</param>
    /// <param name="guardrailId">The guardrail id keying the assessments.</param>
    /// <returns>A copy with the intervention.</returns>
    public FakeResponse WithGuardrailBlock(bool input = false, bool output = true, string guardrailId = "fake-guardrail")
    {
        ArgumentException.ThrowIfNullOrEmpty(guardrailId);
        if (!input && !output)
        {
            throw new ArgumentException("A guardrail block needs input, output or both.", nameof(input));
        }

        static GuardrailAssessment Blocked(string type) => new()
        {
            ContentPolicy = new GuardrailContentPolicyAssessment
            {
                Filters = [new GuardrailContentFilter { Type = type, Confidence = "HIGH", FilterStrength = "HIGH", Action = GuardrailAction.Blocked, Detected = true }],
            },
        };

        var assessment = new GuardrailTraceAssessment
        {
            InputAssessment = input ? new Dictionary<string, GuardrailAssessment> { [guardrailId] = Blocked("PROMPT_ATTACK") } : null,
            OutputAssessments = output ? new Dictionary<string, IReadOnlyList<GuardrailAssessment>> { [guardrailId] = [Blocked("VIOLENCE")] } : null,
            ActionReason = input ? "Guardrail blocked the input." : "Guardrail blocked the output.",
        };
        return this with
        {
            StopReason = Strands.Content.StopReason.GuardrailIntervened,
            Trace = (Trace ?? new ConverseTrace()) with { Guardrail = assessment },
        };
    }

    /// <summary>Sets the model-specific response fields.</summary>
    /// <param name="json">The fields as a JSON object, e.g. <c>{"stop_sequence":null}</c>.</param>
    /// <returns>A copy with the fields.</returns>
    public FakeResponse WithAdditionalModelResponseFields(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return this with { AdditionalModelResponseFields = JsonValues.Parse(json) };
    }

    /// <summary>Sets the <c>x-amzn-RequestId</c> of the response.</summary>
    /// <param name="requestId">The request id.</param>
    /// <returns>A copy with the request id.</returns>
    public FakeResponse WithRequestId(string requestId) => this with { RequestId = requestId };

    /// <summary>Sets how many characters one text delta carries at most.</summary>
    /// <param name="length">At least 1.</param>
    /// <returns>A copy with the length.</returns>
    public FakeResponse WithTextDeltaLength(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        return this with { TextDeltaLength = length };
    }

    /// <summary>
    /// Ends the stream with a modeled <c>exception</c> frame after <paramref name="afterEvents"/> events (Converse:
    /// the equivalent HTTP error, see the remarks of <see cref="FakeResponse"/>).
    /// </summary>
    /// <param name="afterEvents">Events sent before the exception (0 = right after the headers).</param>
    /// <param name="exceptionType">The <c>:exception-type</c>, e.g. <c>modelStreamErrorException</c>, <c>throttlingException</c>.</param>
    /// <param name="message">The message.</param>
    /// <param name="originalStatusCode">For <c>modelStreamErrorException</c>: the model's status code.</param>
    /// <param name="originalMessage">For <c>modelStreamErrorException</c>: the model's message.</param>
    /// <returns>A copy with the fault.</returns>
    public FakeResponse WithStreamExceptionAfter(
        int afterEvents,
        string exceptionType = "modelStreamErrorException",
        string message = "Model produced invalid sequence as part of ToolUse.",
        int? originalStatusCode = null,
        string? originalMessage = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterEvents);
        ArgumentException.ThrowIfNullOrEmpty(exceptionType);
        return this with { StreamFault = new FakeStreamFault(afterEvents, FakeStreamFaultKind.Exception, exceptionType, message ?? "", originalStatusCode, originalMessage) };
    }

    /// <summary>Ends the stream with an unmodeled <c>error</c> frame after <paramref name="afterEvents"/> events (Converse: HTTP 500 with that code).</summary>
    /// <param name="afterEvents">Events sent before the error frame.</param>
    /// <param name="errorCode">The <c>:error-code</c>, e.g. <c>InternalFailure</c>.</param>
    /// <param name="errorMessage">The <c>:error-message</c>.</param>
    /// <returns>A copy with the fault.</returns>
    public FakeResponse WithErrorFrameAfter(int afterEvents, string errorCode = "InternalFailure", string errorMessage = "Something broke mid-stream")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterEvents);
        ArgumentException.ThrowIfNullOrEmpty(errorCode);
        return this with { StreamFault = new FakeStreamFault(afterEvents, FakeStreamFaultKind.Error, errorCode, errorMessage ?? "", null, null) };
    }

    /// <summary>
    /// Ends the stream cleanly after <paramref name="afterEvents"/> events, before <c>messageStop</c>: a response cut
    /// short without any error (Converse: HTTP 200 whose <c>output</c> has no message).
    /// </summary>
    /// <param name="afterEvents">Events sent before the stream ends (0 = right after the headers).</param>
    /// <returns>A copy with the truncation.</returns>
    public FakeResponse EndStreamAfter(int afterEvents)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterEvents);
        return this with { StreamFault = new FakeStreamFault(afterEvents, FakeStreamFaultKind.Truncation, "truncation", "", null, null) };
    }

    /// <summary>Drops the connection after <paramref name="bytes"/> body bytes (see <see cref="ConnectionDropAfterBytes"/>).</summary>
    /// <param name="bytes">Body bytes sent before the drop (0 = right after the headers).</param>
    /// <returns>A copy with the drop.</returns>
    public FakeResponse DropConnectionAfterBytes(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        return this with { ConnectionDropAfterBytes = bytes };
    }

    /// <summary>Waits <paramref name="delay"/> before each stream event.</summary>
    /// <param name="delay">The delay (on <see cref="FakeBedrockServerOptions.TimeProvider"/>).</param>
    /// <returns>A copy with the delay.</returns>
    public FakeResponse WithEventDelay(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return this with { EventDelay = delay };
    }

    /// <summary>Writes the stream body in pieces of exactly <paramref name="bytes"/> bytes, across frame boundaries.</summary>
    /// <param name="bytes">At least 1.</param>
    /// <returns>A copy with the chunk size.</returns>
    public FakeResponse WithChunkSize(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1);
        return this with { ChunkSize = bytes };
    }
}

/// <summary>An HTTP error the fake answers with.</summary>
/// <param name="ErrorType">The <c>x-amzn-ErrorType</c>, e.g. <c>ThrottlingException</c>.</param>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Message">The body's <c>message</c>.</param>
public sealed record FakeError(string ErrorType, int StatusCode, string Message);

/// <summary>The kind of a mid-stream fault.</summary>
public enum FakeStreamFaultKind
{
    /// <summary>A modeled <c>exception</c> frame (<c>:exception-type</c>, JSON payload).</summary>
    Exception,

    /// <summary>An unmodeled <c>error</c> frame (<c>:error-code</c>, <c>:error-message</c>, no payload).</summary>
    Error,

    /// <summary>No frame at all: the stream ends cleanly where the fault is, before <c>messageStop</c>.</summary>
    Truncation,
}

/// <summary>A fault that ends a stream after some events.</summary>
/// <param name="AfterEvents">Events sent before the fault.</param>
/// <param name="Kind">Exception or error frame.</param>
/// <param name="Type">The exception type (e.g. <c>modelStreamErrorException</c>) or error code (e.g. <c>InternalFailure</c>).</param>
/// <param name="Message">The message.</param>
/// <param name="OriginalStatusCode">For <c>modelStreamErrorException</c>: the model's status code.</param>
/// <param name="OriginalMessage">For <c>modelStreamErrorException</c>: the model's message.</param>
public sealed record FakeStreamFault(int AfterEvents, FakeStreamFaultKind Kind, string Type, string Message, int? OriginalStatusCode, string? OriginalMessage);

/// <summary>A body served verbatim.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="ContentType">The content type.</param>
/// <param name="Body">The body bytes.</param>
/// <param name="Headers">Extra response headers.</param>
public sealed record FakeRawBody(int StatusCode, string ContentType, byte[] Body, IReadOnlyDictionary<string, string>? Headers = null);
