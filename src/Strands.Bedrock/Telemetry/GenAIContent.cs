using System.Buffers;
using System.Text;
using System.Text.Json;
using Strands.Content;

namespace Strands.Telemetry;

/// <summary>
/// Writes message content in the JSON shapes of the OpenTelemetry gen_ai semantic conventions
/// (<c>gen_ai.input.messages</c>, <c>gen_ai.output.messages</c>, <c>gen_ai.system_instructions</c>): messages with a
/// role and parts of type <c>text</c>, <c>reasoning</c>, <c>tool_call</c>, <c>tool_call_response</c> and <c>blob</c>.
/// Used only when content capture is on. Media bytes are never written, only their kind and format.
/// </summary>
internal static class GenAIContent
{
    /// <summary>The messages as <c>[{"role":…,"parts":[…]}]</c>; the output form adds <c>finish_reason</c>.</summary>
    public static string Messages(IEnumerable<Message> messages, StopReason? finishReason = null)
    {
        return Write(writer =>
        {
            writer.WriteStartArray();
            foreach (var message in messages)
            {
                writer.WriteStartObject();
                writer.WriteString("role", message.Role == ConversationRole.Assistant ? "assistant" : "user");
                writer.WriteStartArray("parts");
                foreach (var block in message.Content)
                {
                    WritePart(writer, block);
                }

                writer.WriteEndArray();
                if (finishReason is { Value: { } reason })
                {
                    writer.WriteString("finish_reason", reason);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>The system prompt as <c>[{"type":"text","content":…}]</c>.</summary>
    public static string SystemInstructions(IReadOnlyList<SystemContentBlock> systemPrompt)
    {
        return Write(writer =>
        {
            writer.WriteStartArray();
            foreach (var block in systemPrompt)
            {
                var text = block.Text ?? block.GuardContent?.Text?.Text;
                if (text is not null)
                {
                    writer.WriteStartObject();
                    writer.WriteString("type", "text");
                    writer.WriteString("content", text);
                    writer.WriteEndObject();
                }
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>A tool result's content: its text, or its JSON when it is one JSON block, or an array of both.</summary>
    public static string ToolResult(ToolResultBlock result)
    {
        if (result.Content is [{ Text: { } text }])
        {
            return text;
        }

        if (result.Content is [{ Json: { } json }])
        {
            return json.GetRawText();
        }

        return Write(writer => WriteToolResultContent(writer, result));
    }

    private static void WritePart(Utf8JsonWriter writer, ContentBlock block)
    {
        writer.WriteStartObject();
        switch (block)
        {
            case { Text: { } text }:
                writer.WriteString("type", "text");
                writer.WriteString("content", text);
                break;
            case { CitationsContent.Content: { } generated }:
                writer.WriteString("type", "text");
                writer.WriteString("content", string.Concat(generated.Select(g => g.Text)));
                break;
            case { ReasoningContent: { } reasoning }:
                writer.WriteString("type", "reasoning");
                writer.WriteString("content", reasoning.ReasoningText?.Text ?? string.Empty);
                break;
            case { ToolUse: { } toolUse }:
                writer.WriteString("type", "tool_call");
                writer.WriteString("id", toolUse.ToolUseId);
                writer.WriteString("name", toolUse.Name);
                writer.WritePropertyName("arguments");
                toolUse.Input.WriteTo(writer);
                break;
            case { ToolResult: { } toolResult }:
                writer.WriteString("type", "tool_call_response");
                writer.WriteString("id", toolResult.ToolUseId);
                writer.WritePropertyName("response");
                WriteToolResultContent(writer, toolResult);
                break;
            case { Image: { } image }:
                WriteBlob(writer, "image", image.Format.Value);
                break;
            case { Document: { } document }:
                WriteBlob(writer, "document", document.Format?.Value);
                break;
            case { Video: { } video }:
                WriteBlob(writer, "video", video.Format.Value);
                break;
            case { Audio: { } audio }:
                WriteBlob(writer, "audio", audio.Format.Value);
                break;
            default:
                writer.WriteString("type", "other");
                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteToolResultContent(Utf8JsonWriter writer, ToolResultBlock toolResult)
    {
        if (toolResult.Content is [{ Text: { } text }])
        {
            writer.WriteStringValue(text);
            return;
        }

        if (toolResult.Content is [{ Json: { } json }])
        {
            json.WriteTo(writer);
            return;
        }

        writer.WriteStartArray();
        foreach (var part in toolResult.Content)
        {
            if (part.Text is { } partText)
            {
                writer.WriteStringValue(partText);
            }
            else if (part.Json is { } partJson)
            {
                partJson.WriteTo(writer);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteBlob(Utf8JsonWriter writer, string modality, string? format)
    {
        writer.WriteString("type", "blob");
        writer.WriteString("modality", modality);
        if (format is not null)
        {
            writer.WriteString("format", format);
        }
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
