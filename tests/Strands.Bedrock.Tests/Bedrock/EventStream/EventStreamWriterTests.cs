using System.Buffers;
using System.Text;
using Strands.Bedrock.EventStream;
using Strands.Tests.TestUtilities;
using Xunit;
using static Strands.Tests.Bedrock.EventStream.EventStreamTestSupport;
using Aws = Amazon.Runtime.EventStreams;
using Strands.Bedrock.Testing.Internal;

namespace Strands.Tests.Bedrock.EventStream;

public class EventStreamWriterTests
{
    public static TheoryData<string> Fixtures() =>
        ["converse-stream.bin", "converse-stream-exception.bin", "converse-stream-errorframe.bin", "csharp-awssdkcore-frame.bin"];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Every_recorded_frame_re_encodes_byte_for_byte(string fixture)
    {
        byte[] data = WireFixtures.Bytes(fixture);
        List<DecodedFrame> frames = await DecodeAllAsync(data);
        Assert.NotEmpty(frames);

        foreach (DecodedFrame frame in frames)
        {
            byte[] original = data.AsSpan((int)frame.Offset, frame.TotalLength).ToArray();
            Assert.Equal(frame.TotalLength, EventStreamWriter.GetFrameLength(frame.Headers, frame.Payload.Length));
            Assert.Equal(frame.TotalLength, EventStreamWriter.GetFrameLength((IReadOnlyList<EventStreamHeader>)frame.Headers, frame.Payload.Length));
            Assert.Equal(original, EventStreamWriter.EncodeFrame(frame.Headers, frame.Payload));

            var output = new ArrayBufferWriter<byte>();
            EventStreamWriter.WriteFrame(output, frame.Headers, frame.Payload);
            Assert.Equal(original, output.WrittenSpan.ToArray());

            byte[] span = new byte[frame.TotalLength + 5];
            Assert.Equal(frame.TotalLength, EventStreamWriter.WriteFrame(span, frame.Headers, frame.Payload));
            Assert.Equal(original, span[..frame.TotalLength]);

            byte[] rebuilt = frame.MessageType switch
            {
                "event" => EventStreamWriter.EncodeEvent(frame.EventType!, frame.Payload),
                "exception" => EventStreamWriter.EncodeException(frame.ExceptionType!, frame.Payload),
                "error" => EventStreamWriter.EncodeError(frame.ErrorCode!, frame.ErrorMessage!),
                _ => throw new InvalidOperationException(frame.MessageType),
            };
            Assert.Equal(original, rebuilt);
        }
    }

    [Fact]
    public async Task All_ten_header_types_round_trip()
    {
        var guid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        var when = new DateTimeOffset(2025, 5, 14, 12, 30, 45, 123, TimeSpan.Zero);
        EventStreamHeader[] headers =
        [
            EventStreamHeader.Boolean("t", true),
            EventStreamHeader.Boolean("f", false),
            EventStreamHeader.Byte("b", -7),
            EventStreamHeader.Int16("s", short.MinValue),
            EventStreamHeader.Int32("i", int.MaxValue),
            EventStreamHeader.Int64("l", long.MinValue),
            EventStreamHeader.ByteArray("bytes", new byte[] { 0, 1, 2, 255 }),
            EventStreamHeader.String("str", "héllo ☃ 𝄞"),
            EventStreamHeader.Timestamp("ts", when),
            EventStreamHeader.Uuid("id", guid),
        ];
        byte[] frame = EventStreamWriter.EncodeFrame(headers, "payload"u8);

        foreach (int chunk in ChunkSizes)
        {
            DecodedFrame decoded = Assert.Single(await DecodeAllAsync(frame, chunk));
            Assert.Equal(
                Enum.GetValues<EventStreamHeaderType>(),
                decoded.Headers.Select(h => h.Type));
            Assert.True(decoded.Headers[0].GetBoolean());
            Assert.False(decoded.Headers[1].GetBoolean());
            Assert.Equal(-7, decoded.Headers[2].GetSByte());
            Assert.Equal(-7, decoded.Headers[2].GetInt64());
            Assert.Equal(short.MinValue, decoded.Headers[3].GetInt16());
            Assert.Equal(int.MaxValue, decoded.Headers[4].GetInt32());
            Assert.Equal(long.MinValue, decoded.Headers[5].GetInt64());
            Assert.Equal(new byte[] { 0, 1, 2, 255 }, decoded.Headers[6].GetBytes().ToArray());
            Assert.Equal("héllo ☃ 𝄞", decoded.Headers[7].GetString());
            Assert.Equal(when, decoded.Headers[8].GetTimestamp());
            Assert.Equal(when.ToUnixTimeMilliseconds(), decoded.Headers[8].GetTimestampMilliseconds());
            Assert.Equal(guid, decoded.Headers[9].GetGuid());
            Assert.Equal("payload"u8.ToArray(), decoded.Payload);
            Assert.Equal(["t", "f", "b", "s", "i", "l", "bytes", "str", "ts", "id"], decoded.Headers.Select(h => h.Name));
        }

        // UUIDs go on the wire in RFC 4122 order, like the JS and Java SDKs (not Guid.ToByteArray() order).
        Assert.Contains(Convert.FromHexString("00112233445566778899aabbccddeeff"), Slices(frame, 16));
    }

    [Fact]
    public void Header_accessors_of_the_wrong_type_throw_and_ToString_shows_name_type_and_value()
    {
        EventStreamHeader header = EventStreamHeader.String("name", "value");
        Assert.Throws<InvalidOperationException>(() => header.GetInt32());
        Assert.Throws<InvalidOperationException>(() => header.GetBytes());
        Assert.Throws<InvalidOperationException>(() => EventStreamHeader.Int64("n", 1).GetInt32());
        Assert.Throws<InvalidOperationException>(() => EventStreamHeader.Int32("n", 1).GetTimestamp());
        Assert.Equal(1, EventStreamHeader.Int16("n", 1).GetInt32());
        Assert.Equal("name (String): value", header.ToString());
        Assert.Equal("b (ByteArray): <3 bytes>", EventStreamHeader.ByteArray("b", new byte[3]).ToString());
    }

    [Fact]
    public void Headers_and_frames_beyond_the_format_limits_are_rejected()
    {
        Assert.ThrowsAny<ArgumentException>(() => EventStreamHeader.String("", "v"));
        Assert.ThrowsAny<ArgumentException>(() => EventStreamHeader.String(new string('n', 256), "v"));
        Assert.ThrowsAny<ArgumentException>(() => EventStreamHeader.String(new string('é', 128), "v"));
        Assert.ThrowsAny<ArgumentException>(() => EventStreamHeader.String("n", new string('v', 65536)));
        Assert.ThrowsAny<ArgumentException>(() => EventStreamHeader.ByteArray("n", new byte[65536]));
        Assert.ThrowsAny<ArgumentException>(() => EventStreamWriter.EncodeFrame([default], []));
        Assert.Equal(255 + 2 + 2 + 65535, EventStreamWriter.GetFrameLength([EventStreamHeader.String(new string('n', 255), new string('v', 65535))], 0) - 16);
        Assert.Throws<ArgumentException>(() => EventStreamWriter.WriteFrame(new byte[15], [], []));
        Assert.Equal(16, EventStreamWriter.EncodeFrame([], []).Length);
    }

    [Fact]
    public async Task Random_frames_are_byte_identical_to_AWSSDK_Core_and_decodable_by_it()
    {
        var random = new Random(20250514);
        for (int i = 0; i < 300; i++)
        {
            int count = random.Next(0, 8);
            var ours = new EventStreamHeader[count];
            var theirs = new List<Aws.IEventStreamHeader>();
            for (int h = 0; h < count; h++)
            {
                (ours[h], Aws.EventStreamHeader aws) = RandomHeader(random, $"h{h}-{RandomString(random, random.Next(0, 20))}");
                theirs.Add(aws);
            }

            byte[] payload = new byte[random.Next(0, 3) == 0 ? 0 : random.Next(0, 5000)];
            random.NextBytes(payload);

            byte[] expected = new Aws.EventStreamMessage(theirs, payload).ToByteArray();
            byte[] actual = EventStreamWriter.EncodeFrame(ours, payload);
            Assert.Equal(expected, actual);

            Aws.EventStreamMessage decoded = Aws.EventStreamMessage.FromBuffer(actual, 0, actual.Length);
            Assert.Equal(payload, decoded.Payload);
            Assert.Equal(count, decoded.Headers.Count);
            foreach (EventStreamHeader header in ours)
            {
                var other = (Aws.EventStreamHeader)decoded.Headers[header.Name];
                AssertSameValue(header, other);
            }

            // And the reader decodes what AWSSDK.Core wrote, through a chunked stream.
            DecodedFrame frame = Assert.Single(await DecodeAllAsync(expected, random.Next(1, 200)));
            Assert.Equal(payload, frame.Payload);
            Assert.Equal(ours.Select(h => h.ToString()), frame.Headers.Select(h => h.ToString()));
        }
    }

    [Fact]
    public async Task Well_known_header_strings_are_cached_instances_and_unknown_ones_are_not()
    {
        string[] known =
        [
            "event", "exception", "error", "application/json", "messageStart", "contentBlockStart", "contentBlockDelta",
            "contentBlockStop", "messageStop", "metadata", "internalServerException", "modelStreamErrorException",
            "validationException", "throttlingException", "serviceUnavailableException",
        ];
        byte[] Frame(string value) => EventStreamWriter.EncodeFrame([EventStreamHeader.String(new string(":event-type"), new string(value))], []);

        foreach (string value in known.Append("someNewEvent"))
        {
            byte[] twice = [.. Frame(value), .. Frame(value)];
            List<DecodedFrame> frames = await DecodeAllAsync(twice);
            Assert.Equal(value, frames[0].EventType);
            Assert.Same(frames[0].Headers[0].Name, frames[1].Headers[0].Name);
            if (value == "someNewEvent")
            {
                Assert.NotSame(frames[0].EventType, frames[1].EventType);
            }
            else
            {
                Assert.Same(frames[0].EventType, frames[1].EventType);
            }
        }
    }

    private static IEnumerable<byte[]> Slices(byte[] data, int length)
    {
        for (int i = 0; i + length <= data.Length; i++)
        {
            yield return data[i..(i + length)];
        }
    }

    private static string RandomString(Random random, int length)
    {
        const string alphabet = "abcXYZ019 -_:/é☃ß中";
        var builder = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            builder.Append(alphabet[random.Next(alphabet.Length)]);
        }

        if (random.Next(10) == 0)
        {
            builder.Append("𝄞");
        }

        return builder.ToString();
    }

    private static (EventStreamHeader Ours, Aws.EventStreamHeader Theirs) RandomHeader(Random random, string name)
    {
        var theirs = new Aws.EventStreamHeader(name);
        switch ((EventStreamHeaderType)random.Next(0, 10))
        {
            case EventStreamHeaderType.BoolTrue:
            case EventStreamHeaderType.BoolFalse:
                bool flag = random.Next(2) == 0;
                theirs.SetBool(flag);
                return (EventStreamHeader.Boolean(name, flag), theirs);
            case EventStreamHeaderType.Byte:
                sbyte b = (sbyte)random.Next(sbyte.MinValue, sbyte.MaxValue + 1);
                theirs.SetSByte(b);
                return (EventStreamHeader.Byte(name, b), theirs);
            case EventStreamHeaderType.Int16:
                short s = (short)random.Next(short.MinValue, short.MaxValue + 1);
                theirs.SetInt16(s);
                return (EventStreamHeader.Int16(name, s), theirs);
            case EventStreamHeaderType.Int32:
                int n = random.Next(int.MinValue, int.MaxValue);
                theirs.SetInt32(n);
                return (EventStreamHeader.Int32(name, n), theirs);
            case EventStreamHeaderType.Int64:
                long l = random.NextInt64(long.MinValue, long.MaxValue);
                theirs.SetInt64(l);
                return (EventStreamHeader.Int64(name, l), theirs);
            case EventStreamHeaderType.ByteArray:
                byte[] bytes = new byte[random.Next(0, 300)];
                random.NextBytes(bytes);
                theirs.SetByteBuf(bytes);
                return (EventStreamHeader.ByteArray(name, bytes), theirs);
            case EventStreamHeaderType.String:
                string text = RandomString(random, random.Next(0, 100));
                theirs.SetString(text);
                return (EventStreamHeader.String(name, text), theirs);
            case EventStreamHeaderType.Timestamp:
                var when = DateTimeOffset.FromUnixTimeMilliseconds(random.NextInt64(-62135596800000, 253402300799999));
                theirs.SetTimestamp(when.UtcDateTime);
                return (EventStreamHeader.Timestamp(name, when), theirs);
            default:
                // AWSSDK.Core writes Guid.ToByteArray() (mixed-endian); we write RFC 4122 order. Give it the Guid whose
                // ToByteArray() is our RFC bytes, so both frames carry the same 16 bytes.
                byte[] raw = new byte[16];
                random.NextBytes(raw);
                theirs.SetUUID(new Guid(raw));
                return (EventStreamHeader.Uuid(name, new Guid(raw, bigEndian: true)), theirs);
        }
    }

    private static void AssertSameValue(EventStreamHeader ours, Aws.EventStreamHeader theirs)
    {
        switch (ours.Type)
        {
            case EventStreamHeaderType.BoolTrue:
            case EventStreamHeaderType.BoolFalse:
                Assert.Equal(ours.GetBoolean(), theirs.AsBool());
                break;
            case EventStreamHeaderType.Byte:
                Assert.Equal(ours.GetSByte(), theirs.AsSByte());
                break;
            case EventStreamHeaderType.Int16:
                Assert.Equal(ours.GetInt16(), theirs.AsInt16());
                break;
            case EventStreamHeaderType.Int32:
                Assert.Equal(ours.GetInt32(), theirs.AsInt32());
                break;
            case EventStreamHeaderType.Int64:
                Assert.Equal(ours.GetInt64(), theirs.AsInt64());
                break;
            case EventStreamHeaderType.ByteArray:
                Assert.Equal(ours.GetBytes().ToArray(), theirs.AsByteBuf());
                break;
            case EventStreamHeaderType.String:
                Assert.Equal(ours.GetString(), theirs.AsString());
                break;
            case EventStreamHeaderType.Timestamp:
                Assert.Equal(ours.GetTimestamp().UtcDateTime.Ticks, theirs.AsTimestamp().Ticks);
                break;
            case EventStreamHeaderType.Uuid:
                Assert.Equal(ours.GetGuid().ToByteArray(bigEndian: true), theirs.AsUUID().ToByteArray());
                break;
        }
    }
}
