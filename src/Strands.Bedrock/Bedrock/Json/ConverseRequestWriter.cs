using System.Buffers;
using System.Text.Json;
using Strands.Content;

namespace Strands.Bedrock.Json;

/// <summary>
/// Writes a Converse or ConverseStream request body with a <see cref="Utf8JsonWriter"/>, for the members an agent
/// sends: messages of text, tool use, tool result (text and JSON), reasoning text and cache points; a system prompt of
/// text and cache points; inference settings; tool specifications and tool choice; additional model request fields and
/// response field paths. The bytes are exactly those <see cref="BedrockJsonContext"/> writes (same member order,
/// null members left out, same escaping and depth limit; tests compare the two on the wire fixtures and on seeded random
/// requests). Any other member makes <see cref="TryWrite"/> return null, and the caller serialises through the
/// context. Why: the context's metadata for the whole request type graph is built on first use, which costs a process
/// tens of milliseconds of JIT and reflection-free but eager set-up before its first request can leave.
/// </summary>
internal static class ConverseRequestWriter
{
    // What JsonSerializer gives its writer for BedrockJsonContext's options: the default encoder, no indentation, and
    // the serializer's default maximum depth.
    private static readonly JsonWriterOptions WriterOptions = new() { MaxDepth = 64 };

    /// <summary>The request body, or null when the request has a member this writer leaves to the context.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The UTF-8 JSON body, or null.</returns>
    public static byte[]? TryWrite(ConverseRequestBase request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var buffer = new ArrayBufferWriter<byte>(1024);
        try
        {
            using var writer = new Utf8JsonWriter(buffer, WriterOptions);
            if (!WriteRequest(writer, request))
            {
                return null;
            }

            writer.Flush();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or JsonException)
        {
            // Invalid text or too deep a value: the context's path throws the serializer's own exception for it.
            return null;
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static bool WriteRequest(Utf8JsonWriter writer, ConverseRequestBase request)
    {
        // The derived type's member (guardrailConfig) comes first in the context's order; requests with one, and members
        // this writer does not cover, go through the context.
        if (request is ConverseRequest { GuardrailConfig: not null } or ConverseStreamRequest { GuardrailConfig: not null }
            || request.PromptVariables is not null
            || request.RequestMetadata is not null
            || request.PerformanceConfig is not null
            || request.ServiceTier is not null
            || request.OutputConfig is not null
            || request.AdditionalMembers is { Count: > 0 })
        {
            return false;
        }

        writer.WriteStartObject();
        if (request.Messages is { } messages)
        {
            writer.WritePropertyName("messages"u8);
            writer.WriteStartArray();
            foreach (var message in messages)
            {
                if (!WriteMessage(writer, message))
                {
                    return false;
                }
            }

            writer.WriteEndArray();
        }

        if (request.System is { } system)
        {
            writer.WritePropertyName("system"u8);
            writer.WriteStartArray();
            foreach (var block in system)
            {
                if (!WriteSystemBlock(writer, block))
                {
                    return false;
                }
            }

            writer.WriteEndArray();
        }

        if (request.InferenceConfig is { } inference && !WriteInferenceConfig(writer, inference))
        {
            return false;
        }

        if (request.ToolConfig is { } tools && !WriteToolConfig(writer, tools))
        {
            return false;
        }

        if (request.AdditionalModelRequestFields is { } fields)
        {
            writer.WritePropertyName("additionalModelRequestFields"u8);
            fields.WriteTo(writer);
        }

        if (request.AdditionalModelResponseFieldPaths is { } paths && !WriteStrings(writer, "additionalModelResponseFieldPaths"u8, paths))
        {
            return false;
        }

        writer.WriteEndObject();
        return true;
    }

    private static bool WriteMessage(Utf8JsonWriter writer, Message? message)
    {
        if (message is null || message.Role.Value is not { } role || message.Content is not { } content)
        {
            return false;
        }

        writer.WriteStartObject();
        writer.WriteString("role"u8, role);
        writer.WritePropertyName("content"u8);
        writer.WriteStartArray();
        foreach (var block in content)
        {
            if (!WriteContentBlock(writer, block))
            {
                return false;
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        return true;
    }

    private static bool WriteContentBlock(Utf8JsonWriter writer, ContentBlock? block)
    {
        if (block is null
            || block.Image is not null
            || block.Document is not null
            || block.Video is not null
            || block.Audio is not null
            || block.GuardContent is not null
            || block.CitationsContent is not null
            || block.SearchResult is not null
            || block.UnknownMembers is { Count: > 0 })
        {
            return false;
        }

        writer.WriteStartObject();
        if (block.Text is { } text)
        {
            writer.WriteString("text"u8, text);
        }

        if (block.ToolUse is { } toolUse && !WriteToolUse(writer, toolUse))
        {
            return false;
        }

        if (block.ToolResult is { } toolResult && !WriteToolResult(writer, toolResult))
        {
            return false;
        }

        if (block.CachePoint is { } cachePoint && !WriteCachePoint(writer, cachePoint))
        {
            return false;
        }

        if (block.ReasoningContent is { } reasoning && !WriteReasoning(writer, reasoning))
        {
            return false;
        }

        writer.WriteEndObject();
        return true;
    }

    private static bool WriteToolUse(Utf8JsonWriter writer, ToolUseBlock toolUse)
    {
        if (toolUse.ToolUseId is not { } id || toolUse.Name is not { } name || toolUse.Input.ValueKind == JsonValueKind.Undefined || toolUse.Type is not null)
        {
            return false;
        }

        writer.WritePropertyName("toolUse"u8);
        writer.WriteStartObject();
        writer.WriteString("toolUseId"u8, id);
        writer.WriteString("name"u8, name);
        writer.WritePropertyName("input"u8);
        toolUse.Input.WriteTo(writer);
        writer.WriteEndObject();
        return true;
    }

    private static bool WriteToolResult(Utf8JsonWriter writer, ToolResultBlock toolResult)
    {
        if (toolResult.ToolUseId is not { } id)
        {
            return false;
        }

        writer.WritePropertyName("toolResult"u8);
        writer.WriteStartObject();
        writer.WriteString("toolUseId"u8, id);
        if (toolResult.Content is { } content)
        {
            writer.WritePropertyName("content"u8);
            writer.WriteStartArray();
            foreach (var item in content)
            {
                if (item is null || item.Image is not null || item.Document is not null || item.Video is not null || item.SearchResult is not null || item.UnknownMembers is { Count: > 0 })
                {
                    return false;
                }

                writer.WriteStartObject();
                if (item.Json is { } json)
                {
                    writer.WritePropertyName("json"u8);
                    json.WriteTo(writer);
                }

                if (item.Text is { } text)
                {
                    writer.WriteString("text"u8, text);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (toolResult.Status is { } status)
        {
            if (status.Value is not { } value)
            {
                return false;
            }

            writer.WriteString("status"u8, value);
        }

        if (toolResult.Type is { } type)
        {
            writer.WriteString("type"u8, type);
        }

        writer.WriteEndObject();
        return true;
    }

    private static bool WriteCachePoint(Utf8JsonWriter writer, CachePointBlock cachePoint)
    {
        if (cachePoint.Type.Value is not { } type)
        {
            return false;
        }

        writer.WritePropertyName("cachePoint"u8);
        writer.WriteStartObject();
        writer.WriteString("type"u8, type);
        if (cachePoint.Ttl is { } ttl)
        {
            if (ttl.Value is not { } value)
            {
                return false;
            }

            writer.WriteString("ttl"u8, value);
        }

        writer.WriteEndObject();
        return true;
    }

    private static bool WriteReasoning(Utf8JsonWriter writer, ReasoningContentBlock reasoning)
    {
        if (reasoning.RedactedContent is not null)
        {
            return false;
        }

        writer.WritePropertyName("reasoningContent"u8);
        writer.WriteStartObject();
        if (reasoning.ReasoningText is { } reasoningText)
        {
            if (reasoningText.Text is not { } text)
            {
                return false;
            }

            writer.WritePropertyName("reasoningText"u8);
            writer.WriteStartObject();
            writer.WriteString("text"u8, text);
            if (reasoningText.Signature is { } signature)
            {
                writer.WriteString("signature"u8, signature);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        return true;
    }

    private static bool WriteSystemBlock(Utf8JsonWriter writer, SystemContentBlock? block)
    {
        if (block is null || block.GuardContent is not null || block.UnknownMembers is { Count: > 0 })
        {
            return false;
        }

        writer.WriteStartObject();
        if (block.Text is { } text)
        {
            writer.WriteString("text"u8, text);
        }

        if (block.CachePoint is { } cachePoint && !WriteCachePoint(writer, cachePoint))
        {
            return false;
        }

        writer.WriteEndObject();
        return true;
    }

    private static bool WriteInferenceConfig(Utf8JsonWriter writer, InferenceConfiguration inference)
    {
        writer.WritePropertyName("inferenceConfig"u8);
        writer.WriteStartObject();
        if (inference.MaxTokens is { } maxTokens)
        {
            writer.WriteNumber("maxTokens"u8, maxTokens);
        }

        if (inference.Temperature is { } temperature)
        {
            writer.WriteNumber("temperature"u8, temperature);
        }

        if (inference.TopP is { } topP)
        {
            writer.WriteNumber("topP"u8, topP);
        }

        if (inference.StopSequences is { } stopSequences && !WriteStrings(writer, "stopSequences"u8, stopSequences))
        {
            return false;
        }

        writer.WriteEndObject();
        return true;
    }

    private static bool WriteToolConfig(Utf8JsonWriter writer, ToolConfiguration config)
    {
        if (config.Tools is not { } tools)
        {
            return false;
        }

        writer.WritePropertyName("toolConfig"u8);
        writer.WriteStartObject();
        writer.WritePropertyName("tools"u8);
        writer.WriteStartArray();
        foreach (var tool in tools)
        {
            if (tool is null || tool.SystemTool is not null || tool.UnknownMembers is { Count: > 0 })
            {
                return false;
            }

            writer.WriteStartObject();
            if (tool.ToolSpec is { } spec && !WriteToolSpec(writer, spec))
            {
                return false;
            }

            if (tool.CachePoint is { } cachePoint && !WriteCachePoint(writer, cachePoint))
            {
                return false;
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (config.ToolChoice is { } choice && !WriteToolChoice(writer, choice))
        {
            return false;
        }

        writer.WriteEndObject();
        return true;
    }

    private static bool WriteToolSpec(Utf8JsonWriter writer, ToolSpecification spec)
    {
        if (spec.Name is not { } name || spec.InputSchema is not { } schema)
        {
            return false;
        }

        writer.WritePropertyName("toolSpec"u8);
        writer.WriteStartObject();
        writer.WriteString("name"u8, name);
        if (spec.Description is { } description)
        {
            writer.WriteString("description"u8, description);
        }

        writer.WritePropertyName("inputSchema"u8);
        writer.WriteStartObject();
        if (schema.Json is { } json)
        {
            writer.WritePropertyName("json"u8);
            json.WriteTo(writer);
        }

        writer.WriteEndObject();
        if (spec.Strict is { } strict)
        {
            writer.WriteBoolean("strict"u8, strict);
        }

        writer.WriteEndObject();
        return true;
    }

    private static bool WriteToolChoice(Utf8JsonWriter writer, ToolChoice choice)
    {
        writer.WritePropertyName("toolChoice"u8);
        writer.WriteStartObject();
        if (choice.Auto is not null)
        {
            writer.WritePropertyName("auto"u8);
            writer.WriteStartObject();
            writer.WriteEndObject();
        }

        if (choice.Any is not null)
        {
            writer.WritePropertyName("any"u8);
            writer.WriteStartObject();
            writer.WriteEndObject();
        }

        if (choice.Tool is { } tool)
        {
            if (tool.Name is not { } name)
            {
                return false;
            }

            writer.WritePropertyName("tool"u8);
            writer.WriteStartObject();
            writer.WriteString("name"u8, name);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        return true;
    }

    private static bool WriteStrings(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IReadOnlyList<string> values)
    {
        writer.WritePropertyName(name);
        writer.WriteStartArray();
        foreach (var value in values)
        {
            if (value is null)
            {
                // The context writes null items as null; rare enough to leave to it.
                return false;
            }

            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
        return true;
    }
}
