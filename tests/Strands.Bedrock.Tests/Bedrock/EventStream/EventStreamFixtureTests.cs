using System.Text;
using System.Text.Json;
using Strands.Bedrock.EventStream;
using Strands.Tests.TestUtilities;
using Xunit;
using static Strands.Tests.Bedrock.EventStream.EventStreamTestSupport;

namespace Strands.Tests.Bedrock.EventStream;

public class EventStreamFixtureTests
{
    public static TheoryData<int> Chunks() => [int.MaxValue, .. ChunkSizes];

    [Theory]
    [MemberData(nameof(Chunks))]
    public async Task The_recorded_ConverseStream_decodes_to_its_thirteen_frames(int chunkSize)
    {
        byte[] data = WireFixtures.Bytes("converse-stream.bin");
        List<ExpectedFrame> expected = ReadExpectedFrames("converse-stream-frames.json");

        List<DecodedFrame> frames = await DecodeAllAsync(data, chunkSize);

        Assert.Equal(13, expected.Count);
        Assert.Equal(expected.Count, frames.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            AssertMatches(expected[i], frames[i]);
        }

        Assert.Equal(data.Length, frames[^1].Offset + frames[^1].TotalLength);
        Assert.Equal(
            ["messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "contentBlockDelta", "contentBlockDelta",
             "contentBlockStop", "contentBlockStart", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"],
            frames.Select(f => f.EventType));
        Assert.All(frames, f => Assert.Equal("event", f.MessageType));
        Assert.All(frames, f => Assert.Equal("application/json", f.ContentType));
    }

    [Theory]
    [MemberData(nameof(Chunks))]
    public async Task The_recorded_stream_with_an_exception_decodes_to_its_events_and_the_exception_frame(int chunkSize)
    {
        byte[] data = WireFixtures.Bytes("converse-stream-exception.bin");
        List<ExpectedFrame> expected = ReadExpectedFrames("converse-stream-exception-frames.json");

        List<DecodedFrame> frames = await DecodeAllAsync(data, chunkSize);

        Assert.Equal(4, frames.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            AssertMatches(expected[i], frames[i]);
        }

        DecodedFrame exception = frames[^1];
        Assert.Equal("exception", exception.MessageType);
        Assert.Equal("modelStreamErrorException", exception.ExceptionType);
        Assert.Null(exception.EventType);
        Assert.Equal(data.Length, exception.Offset + exception.TotalLength);
    }

    [Theory]
    [MemberData(nameof(Chunks))]
    public async Task The_recorded_stream_with_an_error_frame_decodes_the_error_code_and_message(int chunkSize)
    {
        byte[] data = WireFixtures.Bytes("converse-stream-errorframe.bin");
        ExpectedFrame first = ReadExpectedFrames("converse-stream-frames.json")[0];

        List<DecodedFrame> frames = await DecodeAllAsync(data, chunkSize);

        Assert.Equal(2, frames.Count);
        AssertMatches(first, frames[0]);
        var error = new ExpectedFrame(
            Offset: 139,
            TotalLength: 112,
            HeadersLength: 0x60,
            PreludeCrc: 0xd1425efe,
            MessageCrc: 0xcc060fb0,
            Headers:
            [
                new(":error-code", "InternalFailure"),
                new(":error-message", "Something broke mid-stream"),
                new(":message-type", "error"),
            ],
            Payload: []);
        AssertMatches(error, frames[1]);
        Assert.Equal("InternalFailure", frames[1].ErrorCode);
        Assert.Equal("Something broke mid-stream", frames[1].ErrorMessage);
        Assert.Equal("error", frames[1].MessageType);
    }

    [Theory]
    [MemberData(nameof(Chunks))]
    public async Task A_frame_written_by_AWSSDK_Core_decodes_as_the_JS_SDK_decodes_it(int chunkSize)
    {
        byte[] data = WireFixtures.Bytes("csharp-awssdkcore-frame.bin");
        using JsonDocument summary = WireFixtures.Document("summary.json");
        List<ExpectedFrame> expected = ParseFrames(summary.RootElement.GetProperty("csharpFrameDecodedByJs"));

        List<DecodedFrame> frames = await DecodeAllAsync(data, chunkSize);

        DecodedFrame frame = Assert.Single(frames);
        AssertMatches(Assert.Single(expected), frame);
        Assert.Equal("contentBlockDelta", frame.EventType);
    }

    [Fact]
    public async Task The_first_recorded_frame_has_the_recorded_prelude_CRCs_payload_and_headers()
    {
        // A hex dump of the recording reads 0000008b 00000052 26716e32 ... 93968e07: length 139, headers 82, both CRCs.
        byte[] data = WireFixtures.Bytes("converse-stream.bin");
        Assert.Equal(Convert.FromHexString("0000008b0000005226716e32"), data[..12]);

        await using var reader = new EventStreamReader(new MemoryStream(data));
        Assert.True(await reader.ReadNextAsync());
        Assert.Equal(139, reader.FrameLength);
        Assert.Equal(0x26716e32u, reader.PreludeCrc);
        Assert.Equal(0x93968e07u, reader.MessageCrc);
        Assert.Equal("""{"role":"assistant","p":"abcdefghijklmn"}""", Encoding.UTF8.GetString(reader.Payload.Span));
        Assert.True(reader.TryGetHeader(":content-type", out EventStreamHeader contentType));
        Assert.Equal("application/json", contentType.GetString());
        Assert.False(reader.TryGetHeader(":missing", out _));
    }

    [Fact]
    public async Task Payload_and_headers_stay_valid_until_the_next_read_across_buffer_refills()
    {
        // Many frames through 997-byte reads: every refill compacts the buffer, which must never touch the current frame.
        byte[] data = [.. Enumerable.Repeat(WireFixtures.Bytes("converse-stream.bin"), 60).SelectMany(b => b)];
        List<ExpectedFrame> expected = ReadExpectedFrames("converse-stream-frames.json");

        await using var reader = new EventStreamReader(new ChunkedStream(data, 997));
        int count = 0;
        while (await reader.ReadNextAsync())
        {
            ExpectedFrame e = expected[count % expected.Count];
            Assert.Equal(e.Payload, reader.Payload.ToArray());
            Assert.Equal(e.Headers[0].Value, reader.Headers[0].GetString());
            Assert.Equal((long)(count / expected.Count * 2264) + e.Offset, reader.FrameOffset);
            count++;
        }

        Assert.Equal(60 * 13, count);
        Assert.Equal(0, reader.FrameLength);
        Assert.True(reader.Payload.IsEmpty);
        Assert.Empty(reader.Headers);
    }
}
