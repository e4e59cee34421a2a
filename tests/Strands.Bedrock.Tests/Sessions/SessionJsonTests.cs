using System.Text;
using System.Text.Json;
using Strands.Content;
using Strands.Sessions;

namespace Strands.Tests.Sessions;

/// <summary>The stored JSON is Python's: json.dump(indent=2, ensure_ascii=False) of Strands for Python's dataclasses.</summary>
public sealed class SessionJsonTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_agent_is_written_with_Pythons_indentation_separators_and_escapes()
    {
        var agent = new SessionAgent
        {
            AgentId = "a",
            State = Values("""{"quote":"say \"hi\"","path":"C:\\tmp","lines":"one\ntwo\r\tthree","controls":"\b\f\u0001\u001f","unicode":"Zürich — 🌞 \u2028 \u007f","empty_list":[],"empty_object":{},"number":1.5e-7,"big":12345678901234567890,"flag":false,"nothing":null}"""),
            CreatedAt = T0,
            UpdatedAt = T0.AddTicks(1234560),
        };

        var text = Encoding.UTF8.GetString(SessionJson.Serialize(agent));

        Assert.Equal(
            "{\n" +
            "  \"agent_id\": \"a\",\n" +
            "  \"state\": {\n" +
            "    \"quote\": \"say \\\"hi\\\"\",\n" +
            "    \"path\": \"C:\\\\tmp\",\n" +
            "    \"lines\": \"one\\ntwo\\r\\tthree\",\n" +
            "    \"controls\": \"\\b\\f\\u0001\\u001f\",\n" +
            "    \"unicode\": \"Zürich — 🌞 \u2028 \u007f\",\n" +
            "    \"empty_list\": [],\n" +
            "    \"empty_object\": {},\n" +
            "    \"number\": 1.5e-7,\n" +
            "    \"big\": 12345678901234567890,\n" +
            "    \"flag\": false,\n" +
            "    \"nothing\": null\n" +
            "  },\n" +
            "  \"conversation_manager_state\": {},\n" +
            "  \"_internal_state\": {},\n" +
            "  \"created_at\": \"2025-06-01T10:00:00+00:00\",\n" +
            "  \"updated_at\": \"2025-06-01T10:00:00.123456+00:00\"\n" +
            "}",
            text);
    }

    [Fact]
    public void Timestamps_are_written_as_Pythons_isoformat()
    {
        Assert.Equal("2025-06-01T10:00:00+00:00", SessionJson.FormatTimestamp(T0));
        Assert.Equal("2025-06-01T10:00:00.000001+00:00", SessionJson.FormatTimestamp(T0.AddTicks(10)));
        Assert.Equal("2025-06-01T12:00:00.500000+02:00", SessionJson.FormatTimestamp(new DateTimeOffset(2025, 6, 1, 12, 0, 0, 500, TimeSpan.FromHours(2))));
    }

    [Fact]
    public void Bytes_are_stored_as_Python_encodes_them()
    {
        var reasoning = new ContentBlock { ReasoningContent = new ReasoningContentBlock { RedactedContent = [1, 2, 3] } };
        var document = new ContentBlock { Document = new DocumentBlock { Format = DocumentFormat.Pdf, Name = "doc", Source = new DocumentSource { Bytes = [37, 80, 68, 70] } } };

        var json = SessionJson.SerializeConversationMessage(Message.Assistant(reasoning, document)).GetRawText();

        Assert.Equal(
            """{"role":"assistant","content":[{"reasoningContent":{"redactedContent":{"__bytes_encoded__":true,"data":"AQID"}}},{"document":{"format":"pdf","name":"doc","source":{"bytes":{"__bytes_encoded__":true,"data":"JVBERg=="}}}}]}""",
            json);
        var back = SessionJson.DeserializeConversationMessage(SessionJson.SerializeConversationMessage(Message.Assistant(reasoning, document)));
        Assert.Equal([1, 2, 3], back.Content[0].ReasoningContent!.RedactedContent);
        Assert.Equal([37, 80, 68, 70], back.Content[1].Document!.Source.Bytes);
    }

    [Fact]
    public void Tool_results_and_citations_take_Pythons_key_order()
    {
        var message = Message.User(
            new ContentBlock { ToolResult = new ToolResultBlock { ToolUseId = "t", Status = ToolResultStatus.Error, Content = [ToolResultContentBlock.FromText("boom")] } },
            new ContentBlock { CitationsContent = new CitationsContentBlock { Content = [new CitationGeneratedContent { Text = "x" }], Citations = [new Citation { Title = "src" }] } });

        Assert.Equal(
            """{"role":"user","content":[{"toolResult":{"toolUseId":"t","status":"error","content":[{"text":"boom"}]}},{"citationsContent":{"citations":[{"title":"src"}],"content":[{"text":"x"}]}}]}""",
            SessionJson.SerializeConversationMessage(message).GetRawText());
    }

    [Fact]
    public void A_stored_message_keeps_what_dotnet_does_not_model_when_only_its_redaction_changes()
    {
        var python = """{"message": {"role": "assistant", "content": [{"toolUse": {"toolUseId": "t", "name": "n", "input": {}, "reasoningSignature": "sig"}}], "metadata": {"usage": {"inputTokens": 1}}}, "message_id": 3, "redact_message": null, "created_at": "2025-06-01T10:00:00+00:00", "updated_at": "2025-06-01T10:00:00+00:00", "future_field": 1}""";
        var read = SessionJson.DeserializeMessage(Encoding.UTF8.GetBytes(python));

        var redacted = Encoding.UTF8.GetString(SessionJson.Serialize(read with { RedactMessage = Message.Assistant("[redacted]") }));
        var replaced = Encoding.UTF8.GetString(SessionJson.Serialize(read with { Message = Message.Assistant("new") }));

        Assert.Contains("\"reasoningSignature\": \"sig\"", redacted, StringComparison.Ordinal);
        Assert.Contains("\"inputTokens\": 1", redacted, StringComparison.Ordinal);
        Assert.Contains("\"text\": \"[redacted]\"", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("metadata", replaced, StringComparison.Ordinal);
        Assert.DoesNotContain("future_field", redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[]""")]
    [InlineData("""{"message_id": 0}""")]
    [InlineData("""{"message": {"role": "user"}, "message_id": 0}""")]
    [InlineData("""{"message": {"role": "user", "content": []}, "message_id": -1}""")]
    [InlineData("""{"message": {"role": "user", "content": []}, "message_id": "0"}""")]
    [InlineData("""{"message": {"role": "user", "content": [{"image": {"format": "png", "source": {"bytes": {"data": "AA=="}}}}]}, "message_id": 0}""")]
    [InlineData("""{"message": {"role": "user", "content": []}, "message_id": 0, "created_at": "yesterday"}""")]
    [InlineData("""{"message": {"role": "user", "content": []}, "message_id": 0""")]
    public void Malformed_messages_are_JSON_errors(string json) =>
        Assert.ThrowsAny<JsonException>(() => SessionJson.DeserializeMessage(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void Bare_base64_bytes_are_accepted()
    {
        var message = SessionJson.DeserializeConversationMessage(JsonDocument.Parse("""{"role":"user","content":[{"image":{"format":"png","source":{"bytes":"AQI="}}}]}""").RootElement);
        Assert.Equal([1, 2], message.Content[0].Image!.Source.Bytes);
    }

    [Fact]
    public void An_agent_without_internal_state_reads_as_empty()
    {
        var agent = SessionJson.DeserializeAgent(Encoding.UTF8.GetBytes("""{"agent_id":"a","state":{},"conversation_manager_state":{}}"""));
        Assert.Empty(agent.InternalState);
        Assert.Equal(default, agent.CreatedAt);
    }

    [Fact]
    public void Ids_that_could_escape_their_directory_or_key_are_refused()
    {
        foreach (var bad in new[] { "\ud800", "a\udc00b", "x/y", "..", "\u0085" })
        {
            Assert.Throws<ArgumentException>(() => SessionIds.ValidateSessionId(bad));
        }

        foreach (var good in new[] { "a", "user-42_session.1", "Zürich 🌞", "...", "a..b", new string('x', 200), "ü".PadLeft(100, 'ü') })
        {
            Assert.Equal(good, SessionIds.ValidateAgentId(good));
        }

        Assert.Throws<ArgumentException>(() => SessionIds.ValidateAgentId(new string('ü', 101)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SessionIds.ValidateMessageId(-1));
    }

    private static IReadOnlyDictionary<string, JsonElement> Values(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }
}
