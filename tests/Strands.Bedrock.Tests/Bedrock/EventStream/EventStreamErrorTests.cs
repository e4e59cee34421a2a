using System.Buffers.Binary;
using Strands.Bedrock.EventStream;
using Strands.Tests.TestUtilities;
using Xunit;
using static Strands.Tests.Bedrock.EventStream.EventStreamTestSupport;
using Strands.Bedrock.Testing.Internal;

namespace Strands.Tests.Bedrock.EventStream;

public class EventStreamErrorTests
{
    // The first golden frame: 139 bytes, 82 bytes of headers (12..93), payload 94..134, message CRC 135..138.
    private static byte[] FirstFrame() => WireFixtures.Bytes("converse-stream.bin")[..139];

    private static async Task<EventStreamException> ReadExpectingErrorAsync(byte[] data, int chunkSize = int.MaxValue, int maxFrameLength = EventStreamReader.DefaultMaxFrameLength)
    {
        await using var reader = new EventStreamReader(new ChunkedStream(data, chunkSize), maxFrameLength);
        var error = await Assert.ThrowsAsync<EventStreamException>(async () =>
        {
            while (await reader.ReadNextAsync())
            {
            }
        });

        // A failed reader refuses further reads.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () => await reader.ReadNextAsync());
        Assert.Contains(error.Kind.ToString(), refused.Message, StringComparison.Ordinal);
        Assert.True(reader.Payload.IsEmpty);
        return error;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(11)]
    public async Task A_flipped_prelude_byte_is_a_prelude_checksum_mismatch(int index)
    {
        foreach (int chunk in ChunkSizes)
        {
            byte[] data = FirstFrame();
            data[index] ^= 0x10;
            EventStreamException error = await ReadExpectingErrorAsync(data, chunk);
            Assert.Equal(EventStreamErrorKind.PreludeChecksumMismatch, error.Kind);
            Assert.Contains("offset 0", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(12)]
    [InlineData(40)]
    [InlineData(93)]
    [InlineData(94)]
    [InlineData(120)]
    [InlineData(134)]
    [InlineData(138)]
    public async Task A_flipped_header_payload_or_CRC_byte_is_a_message_checksum_mismatch(int index)
    {
        foreach (int chunk in ChunkSizes)
        {
            byte[] data = FirstFrame();
            data[index] ^= 0x01;
            EventStreamException error = await ReadExpectingErrorAsync(data, chunk);
            Assert.Equal(EventStreamErrorKind.MessageChecksumMismatch, error.Kind);
            Assert.DoesNotContain("assistant", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_flipped_byte_in_a_later_frame_reports_that_frames_offset()
    {
        byte[] data = WireFixtures.Bytes("converse-stream.bin");
        data[139 + 100] ^= 0x80;
        EventStreamException error = await ReadExpectingErrorAsync(data, 37);
        Assert.Equal(EventStreamErrorKind.MessageChecksumMismatch, error.Kind);
        Assert.Contains("offset 139", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(100)]
    [InlineData(138)]
    public async Task The_stream_ending_inside_a_frame_is_a_truncated_frame(int length)
    {
        foreach (int chunk in ChunkSizes)
        {
            EventStreamException error = await ReadExpectingErrorAsync(FirstFrame()[..length], chunk);
            Assert.Equal(EventStreamErrorKind.TruncatedFrame, error.Kind);
            Assert.Contains($"after {length} of the", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_stream_ending_in_the_second_frame_delivers_the_first_then_reports_a_truncated_frame()
    {
        byte[] data = WireFixtures.Bytes("converse-stream.bin")[..200];
        await using var reader = new EventStreamReader(new ChunkedStream(data, 7));
        Assert.True(await reader.ReadNextAsync());
        Assert.Equal("messageStart", reader.EventType);
        var error = await Assert.ThrowsAsync<EventStreamException>(async () => await reader.ReadNextAsync());
        Assert.Equal(EventStreamErrorKind.TruncatedFrame, error.Kind);
        Assert.Contains("61 of the 191 bytes of the frame at offset 139", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_stream_is_a_clean_end_of_stream()
    {
        await using var reader = new EventStreamReader(new MemoryStream());
        Assert.False(await reader.ReadNextAsync());
        Assert.False(await reader.ReadNextAsync());
    }

    [Fact]
    public async Task A_frame_claiming_two_gigabytes_is_too_large_without_being_allocated()
    {
        byte[] data = new byte[64];
        BinaryPrimitives.WriteUInt32BigEndian(data, 0x8000_0000);
        FixPreludeCrc(data);

        long before = GC.GetAllocatedBytesForCurrentThread();
        EventStreamException error = await ReadExpectingErrorAsync(data);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(EventStreamErrorKind.FrameTooLarge, error.Kind);
        Assert.Contains("2147483648", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public async Task A_frame_larger_than_a_custom_maximum_is_too_large_and_one_at_the_maximum_is_accepted()
    {
        byte[] frame = EventStreamWriter.EncodeEvent("contentBlockDelta", new byte[2000]);
        EventStreamException error = await ReadExpectingErrorAsync(frame, 37, maxFrameLength: 1024);
        Assert.Equal(EventStreamErrorKind.FrameTooLarge, error.Kind);
        Assert.Contains("maximum of 1024", error.Message, StringComparison.Ordinal);

        // Exactly at the bound is accepted.
        Assert.Single(await DecodeAllAsync(frame, 37, maxFrameLength: frame.Length));
    }

    [Fact]
    public async Task A_large_frame_grows_the_buffer_and_decodes()
    {
        byte[] payload = new byte[3_000_000];
        new Random(7).NextBytes(payload);
        byte[] frame = EventStreamWriter.EncodeEvent("contentBlockDelta", payload);
        byte[] data = [.. frame, .. WireFixtures.Bytes("converse-stream.bin"), .. frame];

        List<DecodedFrame> frames = await DecodeAllAsync(data, 100_003);

        Assert.Equal(15, frames.Count);
        Assert.Equal(payload, frames[0].Payload);
        Assert.Equal(payload, frames[^1].Payload);
    }

    [Fact]
    public async Task A_headers_length_beyond_the_frame_is_a_malformed_frame()
    {
        byte[] data = FirstFrame();
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), 139 - 16 + 1);
        FixPreludeCrc(data);
        EventStreamException error = await ReadExpectingErrorAsync(data);
        Assert.Equal(EventStreamErrorKind.MalformedFrame, error.Kind);
        Assert.Contains("124 bytes of headers", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(15u)]
    public async Task A_total_length_below_sixteen_is_a_malformed_frame(uint totalLength)
    {
        byte[] data = FirstFrame();
        BinaryPrimitives.WriteUInt32BigEndian(data, totalLength);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), 0);
        FixPreludeCrc(data);
        EventStreamException error = await ReadExpectingErrorAsync(data);
        Assert.Equal(EventStreamErrorKind.MalformedFrame, error.Kind);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(0xff)]
    public async Task An_unknown_header_type_code_is_a_malformed_frame(byte typeCode)
    {
        byte[] data = FirstFrame();
        data[12 + 1 + 11] = typeCode; // the type byte of ":event-type"
        FixMessageCrc(data, 0, 139);
        EventStreamException error = await ReadExpectingErrorAsync(data);
        Assert.Equal(EventStreamErrorKind.MalformedFrame, error.Kind);
        Assert.Contains($"unknown type code {typeCode}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_header_name_is_a_malformed_frame()
    {
        byte[] data = EventStreamWriter.EncodeFrame([EventStreamHeader.Boolean("x", true)], []);
        data[12] = 0;
        FixMessageCrc(data, 0, data.Length);
        EventStreamException error = await ReadExpectingErrorAsync(data);
        Assert.Equal(EventStreamErrorKind.MalformedFrame, error.Kind);
        Assert.Contains("empty name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(12, 0x60)] // the name length of ":event-type" becomes 96: past the 82 bytes of headers
    [InlineData(25, 0xff)] // the string length of "messageStart" becomes 0xff0c
    public async Task A_header_field_running_past_the_headers_is_a_malformed_frame(int index, byte value)
    {
        byte[] data = FirstFrame();
        data[index] = value;
        FixMessageCrc(data, 0, 139);
        EventStreamException error = await ReadExpectingErrorAsync(data);
        Assert.Equal(EventStreamErrorKind.MalformedFrame, error.Kind);
    }

    [Fact]
    public async Task A_string_value_running_past_the_headers_is_a_malformed_frame()
    {
        byte[] data = EventStreamWriter.EncodeFrame([EventStreamHeader.String("s", "abc")], "payload"u8);
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(12 + 1 + 1 + 1), 4); // claims 4 bytes; the headers hold 3
        FixMessageCrc(data, 0, data.Length);
        EventStreamException error = await ReadExpectingErrorAsync(data);
        Assert.Equal(EventStreamErrorKind.MalformedFrame, error.Kind);
        Assert.Contains("needs 4 value bytes but only 3 remain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disposed_reader_refuses_reads()
    {
        var reader = new EventStreamReader(new MemoryStream(WireFixtures.Bytes("converse-stream.bin")));
        Assert.True(await reader.ReadNextAsync());
        reader.Dispose();
        Assert.True(reader.Payload.IsEmpty);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await reader.ReadNextAsync());
        reader.Dispose();
    }

    [Fact]
    public async Task LeaveOpen_controls_whether_the_stream_is_disposed()
    {
        var kept = new MemoryStream();
        await new EventStreamReader(kept).DisposeAsync();
        Assert.True(kept.CanRead);

        var owned = new MemoryStream();
        await new EventStreamReader(owned, leaveOpen: false).DisposeAsync();
        Assert.False(owned.CanRead);

        var ownedSync = new MemoryStream();
        new EventStreamReader(ownedSync, leaveOpen: false).Dispose();
        Assert.False(ownedSync.CanRead);
    }

    [Fact]
    public void Invalid_constructor_arguments_throw()
    {
        Assert.Throws<ArgumentNullException>(() => new EventStreamReader(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventStreamReader(new MemoryStream(), maxFrameLength: 15));
    }
}
