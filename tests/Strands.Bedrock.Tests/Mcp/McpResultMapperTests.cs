using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using Strands.Bedrock.Json;
using Strands.Content;
using Strands.Mcp;
using Strands.Tests.TestUtilities;

namespace Strands.Tests.Mcp;

/// <summary>
/// The mapping of MCP tool results to Bedrock tool results, case by case (the agent tests cover the common cases over
/// a real server): what Bedrock can carry is carried, what it cannot becomes a note, blank text and duplicated
/// structured content are dropped.
/// </summary>
public sealed class McpResultMapperTests
{
    private static readonly byte[] Bytes = [1, 2, 3, 4];

    private static JsonNode? Map(CallToolResult result) =>
        JsonSerializer.SerializeToNode(McpResultMapper.ToToolResult(result), BedrockJsonContext.Default.ToolResultBlock);

    private static JsonNode Json(string text) => JsonNode.Parse(text)!;

    private static CallToolResult Result(params ModelContextProtocol.Protocol.ContentBlock[] content) => new() { Content = content };

    private static EmbeddedResourceBlock Blob(string mimeType, string uri = "file:///x.bin") =>
        new() { Resource = BlobResourceContents.FromBytes(Bytes, uri, mimeType) };

    [Fact]
    public void IsError_true_is_status_error_and_false_or_absent_is_success()
    {
        Assert.Equal(ToolResultStatus.Error, McpResultMapper.ToToolResult(new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = "x" }] }).Status);
        Assert.Equal(ToolResultStatus.Success, McpResultMapper.ToToolResult(new CallToolResult { IsError = false, Content = [] }).Status);
        Assert.Equal(ToolResultStatus.Success, McpResultMapper.ToToolResult(new CallToolResult { Content = [] }).Status);
    }

    [Fact]
    public void Blank_text_is_dropped_and_an_empty_result_has_no_content()
    {
        JsonAssert.Equal(
            Json("""{"toolUseId":"","status":"success","content":[{"text":"kept"}]}"""),
            Map(Result(new TextContentBlock { Text = "" }, new TextContentBlock { Text = " \n" }, new TextContentBlock { Text = "kept" })));
        Assert.Empty(McpResultMapper.ToToolResult(Result()).Content);
    }

    [Theory]
    [InlineData("image/png", "png")]
    [InlineData("image/jpeg", "jpeg")]
    [InlineData("image/jpg", "jpeg")]
    [InlineData("image/gif", "gif")]
    [InlineData("IMAGE/WEBP; q=1", "webp")]
    public void Images_of_the_formats_Bedrock_accepts_become_image_blocks(string mimeType, string format)
    {
        JsonAssert.Equal(
            Json($$$$"""{"toolUseId":"","status":"success","content":[{"image":{"format":"{{{{format}}}}","source":{"bytes":"AQIDBA=="}}}]}"""),
            Map(Result(ImageContentBlock.FromBytes(Bytes, mimeType))));
    }

    [Fact]
    public void An_image_format_Bedrock_does_not_accept_becomes_a_note()
    {
        JsonAssert.Equal(
            Json("""{"toolUseId":"","status":"success","content":[{"text":"[image (image/svg+xml, 4 bytes) omitted: Bedrock accepts png, jpeg, gif and webp images]"}]}"""),
            Map(Result(ImageContentBlock.FromBytes(Bytes, "image/svg+xml"))));
    }

    [Theory]
    [InlineData("text/csv")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/json")]
    [InlineData("application/xml")]
    [InlineData("application/javascript")]
    [InlineData("application/yaml")]
    [InlineData("application/x-yaml")]
    [InlineData("application/ld+json")]
    [InlineData("application/atom+xml")]
    public void Blobs_of_textual_media_types_become_text(string mimeType)
    {
        var result = McpResultMapper.ToToolResult(Result(new EmbeddedResourceBlock { Resource = BlobResourceContents.FromBytes("héllo"u8.ToArray(), "file:///t", mimeType) }));
        Assert.Equal("héllo", result.Content.Single().Text);
    }

    [Fact]
    public void Blobs_become_documents_and_videos_where_Bedrock_has_the_format_and_notes_elsewhere()
    {
        JsonAssert.Equal(
            Json("""
                {"toolUseId":"","status":"success","content":[
                  {"document":{"format":"docx","name":"Annual plan (v2)","source":{"bytes":"AQIDBA=="}}},
                  {"document":{"format":"xlsx","name":"document","source":{"bytes":"AQIDBA=="}}},
                  {"video":{"format":"mp4","source":{"bytes":"AQIDBA=="}}},
                  {"image":{"format":"gif","source":{"bytes":"AQIDBA=="}}},
                  {"text":"[resource file:///x.bin (application/zip, 4 bytes) omitted: Bedrock tool results have no block for this media type]"},
                  {"text":"[resource file:///x.bin (no media type, 4 bytes) omitted: Bedrock tool results have no block for this media type]"},
                  {"text":"[resource file:///x.bin (image/tiff, 4 bytes) omitted: Bedrock tool results have no block for this media type]"}]}
                """),
            Map(Result(
                Blob("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "file:///plans/Annual%20plan%20(v2).docx"),
                Blob("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "file:///"),
                Blob("video/mp4"),
                Blob("image/gif"),
                Blob("application/zip"),
                new EmbeddedResourceBlock { Resource = new BlobResourceContents { Uri = "file:///x.bin", Blob = System.Text.Encoding.UTF8.GetBytes(Convert.ToBase64String(Bytes)) } },
                Blob("image/tiff"))));
    }

    [Theory]
    [InlineData("file:///reports/Q3 report.pdf", "Q3 report")]
    [InlineData("file:///a/b/notes_2024.final.pdf", "notes 2024 final")]
    [InlineData("https://example.com/x/[draft]  plan--1.pdf?v=2", "[draft] plan--1")]
    [InlineData("file:///...pdf", "document")]
    [InlineData("", "document")]
    [InlineData(null, "document")]
    public void Document_names_keep_only_what_Bedrock_accepts(string? uri, string name) =>
        Assert.Equal(name, McpResultMapper.DocumentName(uri));

    [Fact]
    public void Document_names_are_at_most_200_characters()
    {
        var name = McpResultMapper.DocumentName("file:///" + new string('a', 300) + ".pdf");
        Assert.Equal(200, name.Length);
    }

    [Fact]
    public void Structured_content_is_a_json_block_after_the_rest_and_only_its_exact_text_copy_is_dropped()
    {
        var structured = JsonDocument.Parse("""{"b":[1,2],"a":"x"}""").RootElement;
        JsonAssert.Equal(
            Json("""
                {"toolUseId":"","status":"success","content":[
                  {"text":"Summary first."},
                  {"text":"{\"a\":\"y\"}"},
                  {"text":"{ not json"},
                  {"json":{"b":[1,2],"a":"x"}}]}
                """),
            Map(new CallToolResult
            {
                Content =
                [
                    new TextContentBlock { Text = "Summary first." },
                    new TextContentBlock { Text = """ { "a": "x", "b": [1, 2] } """ }, // The same JSON, other order and spacing: dropped.
                    new TextContentBlock { Text = """{"a":"y"}""" },
                    new TextContentBlock { Text = "{ not json" },
                ],
                StructuredContent = structured,
            }));
    }

    [Fact]
    public void Structured_content_that_is_not_an_object_is_kept_as_json_too()
    {
        var result = McpResultMapper.ToToolResult(new CallToolResult { Content = [], StructuredContent = JsonDocument.Parse("[1,2]").RootElement });
        Assert.Equal("[1,2]", result.Content.Single().Json!.Value.GetRawText());
        Assert.Empty(McpResultMapper.ToToolResult(new CallToolResult { Content = [], StructuredContent = JsonDocument.Parse("null").RootElement }).Content);
    }

    [Fact]
    public void Resource_links_become_text_and_audio_becomes_a_note()
    {
        JsonAssert.Equal(
            Json("""
                {"toolUseId":"","status":"success","content":[
                  {"text":"Resource link: readme <file:///README.md>"},
                  {"text":"[audio (audio/mpeg, 4 bytes) omitted: Bedrock tool results cannot carry audio]"}]}
                """),
            Map(Result(new ResourceLinkBlock { Uri = "file:///README.md", Name = "readme" }, AudioContentBlock.FromBytes(Bytes, "audio/mpeg"))));
    }
}
