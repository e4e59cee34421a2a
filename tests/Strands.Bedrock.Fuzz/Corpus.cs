namespace Strands.Bedrock.Fuzz;

/// <summary>
/// Valid ConverseStream responses to mutate, shaped like the service's: every event payload carries a <c>"p"</c>
/// padding member; text, tool use, reasoning, citations, guardrail traces, and streams that end in an exception or an
/// error frame.
/// </summary>
internal static class Corpus
{
    private const string Padding = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123";

    /// <summary>The base streams, each a list of frames.</summary>
    public static IReadOnlyList<IReadOnlyList<Frame>> Streams { get; } = Build();

    /// <summary>The stream the fake serves for every call after the first (an agent's next cycle): a plain answer.</summary>
    public static byte[] FollowUp { get; } = Concat(Text("Done.", "end_turn"));

    public static byte[] Concat(IEnumerable<Frame> frames) => frames.SelectMany(f => f.Encode()).ToArray();

    private static IReadOnlyList<IReadOnlyList<Frame>> Build() =>
    [
        Text("Hello! How can I help you today? \u00e9\u4e2d\U0001F600", "end_turn"),
        Text("Once upon a time there was a stream.", "max_tokens"),
        ToolUse(),
        Reasoning(),
        Citations(),
        Guardrail(),
        [.. Text("partial", "end_turn").Take(3), Frame.Exception("modelStreamErrorException", """{"message":"Model produced invalid sequence.","originalStatusCode":400,"originalMessage":"bad"}""")],
        [.. Text("partial", "end_turn").Take(2), Frame.Exception("throttlingException", """{"message":"Too many requests, please wait before trying again."}""")],
        [.. Text("partial", "end_turn").Take(2), Frame.Error("InternalFailure", "Something broke mid-stream")],
    ];

    private static string Pad(string json, int seed)
    {
        var length = 1 + (seed * 7 + json.Length) % 40;
        return json[..^1] + ",\"p\":\"" + Padding[..length] + "\"}";
    }

    private static Frame Event(string type, string json, int sequence) => Frame.Event(type, Pad(json, sequence));

    private static List<Frame> Text(string text, string stopReason)
    {
        var frames = new List<Frame> { Event("messageStart", """{"role":"assistant"}""", 0) };
        var pieces = Enumerable.Range(0, (text.Length + 7) / 8).Select(i => text.Substring(i * 8, Math.Min(8, text.Length - i * 8))).ToList();
        foreach (var piece in pieces)
        {
            frames.Add(Event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":" + System.Text.Json.JsonSerializer.Serialize(piece) + "}}", frames.Count));
        }

        frames.Add(Event("contentBlockStop", """{"contentBlockIndex":0}""", frames.Count));
        frames.Add(Event("messageStop", $$"""{"stopReason":"{{stopReason}}"}""", frames.Count));
        frames.Add(Event("metadata", """{"usage":{"inputTokens":10,"outputTokens":20,"totalTokens":30},"metrics":{"latencyMs":100}}""", frames.Count));
        return frames;
    }

    private static List<Frame> ToolUse() =>
    [
        Event("messageStart", """{"role":"assistant"}""", 0),
        Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Let me check."}}""", 1),
        Event("contentBlockStop", """{"contentBlockIndex":0}""", 2),
        Event("contentBlockStart", """{"contentBlockIndex":1,"start":{"toolUse":{"toolUseId":"tooluse_abc123","name":"echo"}}}""", 3),
        Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"toolUse":{"input":"{\"text\": \"he"}}}""", 4),
        Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"toolUse":{"input":"llo\"}"}}}""", 5),
        Event("contentBlockStop", """{"contentBlockIndex":1}""", 6),
        Event("messageStop", """{"stopReason":"tool_use"}""", 7),
        Event("metadata", """{"usage":{"inputTokens":10,"outputTokens":20,"totalTokens":30},"metrics":{"latencyMs":100}}""", 8),
    ];

    private static List<Frame> Reasoning() =>
    [
        Event("messageStart", """{"role":"assistant"}""", 0),
        Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"Think: 2+2"}}}""", 1),
        Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"EqQBCkYIARgCIkDfake"}}}""", 2),
        Event("contentBlockStop", """{"contentBlockIndex":0}""", 3),
        Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"reasoningContent":{"redactedContent":"AAECAwQ="}}}""", 4),
        Event("contentBlockStop", """{"contentBlockIndex":1}""", 5),
        Event("contentBlockDelta", """{"contentBlockIndex":2,"delta":{"text":"4"}}""", 6),
        Event("contentBlockStop", """{"contentBlockIndex":2}""", 7),
        Event("messageStop", """{"stopReason":"end_turn","additionalModelResponseFields":{"stop_sequence":null,"x":[1,2.5,"s"]}}""", 8),
        Event("metadata", """{"usage":{"inputTokens":10,"outputTokens":20,"totalTokens":30,"cacheReadInputTokens":5},"metrics":{"latencyMs":100}}""", 9),
    ];

    private static List<Frame> Citations() =>
    [
        Event("messageStart", """{"role":"assistant"}""", 0),
        Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"The sky is blue."}}""", 1),
        Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"citation":{"title":"Sky","sourceContent":[{"text":"blue"}],"location":{"web":{"url":"https://example.com","domain":"example.com"}}}}}""", 2),
        Event("contentBlockStop", """{"contentBlockIndex":0}""", 3),
        Event("messageStop", """{"stopReason":"end_turn"}""", 4),
        Event("metadata", """{"usage":{"inputTokens":10,"outputTokens":20,"totalTokens":30},"metrics":{"latencyMs":100}}""", 5),
    ];

    private static List<Frame> Guardrail() =>
    [
        Event("messageStart", """{"role":"assistant"}""", 0),
        Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Sorry, I cannot help."}}""", 1),
        Event("contentBlockStop", """{"contentBlockIndex":0}""", 2),
        Event("messageStop", """{"stopReason":"guardrail_intervened"}""", 3),
        Event("metadata", """{"usage":{"inputTokens":10,"outputTokens":20,"totalTokens":30},"metrics":{"latencyMs":100},"trace":{"guardrail":{"inputAssessment":{"g1":{"contentPolicy":{"filters":[{"type":"PROMPT_ATTACK","confidence":"HIGH","filterStrength":"HIGH","action":"BLOCKED","detected":true}]}}},"outputAssessments":{"g1":[{"contentPolicy":{"filters":[{"type":"VIOLENCE","confidence":"HIGH","action":"BLOCKED","detected":true}]}}]},"actionReason":"Guardrail blocked."}}}""", 4),
    ];
}
