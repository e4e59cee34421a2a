using System.Buffers.Binary;
using Strands.Bedrock.EventStream;
using Strands.Tests.TestUtilities;
using Xunit;
using Xunit.Abstractions;
using static Strands.Tests.Bedrock.EventStream.EventStreamTestSupport;
using Strands.Bedrock.Testing.Internal;

namespace Strands.Tests.Bedrock.EventStream;

public class EventStreamRobustnessTests(ITestOutputHelper output)
{
    private const int Seed = 0x5EED;
    private const int Cases = 5000;

    [Fact]
    public async Task Random_and_mutated_input_only_ever_throws_EventStreamException()
    {
        var random = new Random(Seed);
        byte[][] samples = [.. SampleFrames(random)];
        var outcomes = new Dictionary<string, int>();

        for (int i = 0; i < Cases; i++)
        {
            (byte[] data, string mutation) = MakeCase(random, samples);
            int chunk = random.Next(4) == 0 ? int.MaxValue : random.Next(1, 64);
            int maxFrameLength = random.Next(4) == 0 ? random.Next(16, 600) : EventStreamReader.DefaultMaxFrameLength;

            string outcome;
            await using var reader = new EventStreamReader(new ChunkedStream(data, chunk), maxFrameLength);
            try
            {
                int frames = 0;
                while (await reader.ReadNextAsync())
                {
                    frames++;
                    Assert.True(frames <= data.Length / EventStreamReader.MinFrameLength, "more frames than the input can hold");
                    TouchEverything(reader);
                }

                outcome = "ok";
            }
            catch (EventStreamException ex)
            {
                outcome = ex.Kind.ToString();
                await Assert.ThrowsAsync<InvalidOperationException>(async () => await reader.ReadNextAsync());
            }
            catch (Exception ex)
            {
                Assert.Fail($"Case {i} ({mutation}, chunk {chunk}, max {maxFrameLength}, {data.Length} bytes: {Convert.ToHexString(data.AsSpan(0, Math.Min(64, data.Length)))}) threw {ex}");
                throw;
            }

            string key = $"{mutation}:{outcome}";
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        }

        // Every kind of error was exercised, and so was header parsing of re-checksummed garbage.
        string summary = string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}"));
        output.WriteLine(summary);
        foreach (EventStreamErrorKind kind in Enum.GetValues<EventStreamErrorKind>())
        {
            Assert.True(outcomes.Keys.Any(k => k.EndsWith(":" + kind, StringComparison.Ordinal)), $"{kind} never occurred: {summary}");
        }

        Assert.True(outcomes.GetValueOrDefault("header-bytes:MalformedFrame") > 50, summary);
        Assert.True(outcomes.GetValueOrDefault("headers-length:MalformedFrame") > 50, summary);
    }

    private static void TouchEverything(EventStreamReader reader)
    {
        _ = reader.Payload.Span.Length;
        foreach (EventStreamHeader header in reader.Headers)
        {
            _ = header.ToString();
            _ = header.Type switch
            {
                EventStreamHeaderType.BoolTrue or EventStreamHeaderType.BoolFalse => header.GetBoolean().ToString(),
                EventStreamHeaderType.ByteArray => header.GetBytes().Length.ToString(),
                EventStreamHeaderType.String => header.GetString(),
                EventStreamHeaderType.Timestamp => header.GetTimestampMilliseconds().ToString(),
                EventStreamHeaderType.Uuid => header.GetGuid().ToString(),
                _ => header.GetInt64().ToString(),
            };
        }
    }

    private static IEnumerable<byte[]> SampleFrames(Random random)
    {
        byte[] stream = WireFixtures.Bytes("converse-stream.bin");
        foreach (DecodedFrame frame in DecodeAllAsync(stream).GetAwaiter().GetResult())
        {
            yield return stream[(int)frame.Offset..(int)(frame.Offset + frame.TotalLength)];
        }

        yield return WireFixtures.Bytes("converse-stream-errorframe.bin")[139..];
        yield return WireFixtures.Bytes("converse-stream-exception.bin")[526..];
        for (int i = 0; i < 20; i++)
        {
            var headers = new List<EventStreamHeader>();
            for (int h = random.Next(0, 6); h > 0; h--)
            {
                string name = "h" + random.Next(1000);
                headers.Add((random.Next(10)) switch
                {
                    0 => EventStreamHeader.Boolean(name, true),
                    1 => EventStreamHeader.Boolean(name, false),
                    2 => EventStreamHeader.Byte(name, 1),
                    3 => EventStreamHeader.Int16(name, 2),
                    4 => EventStreamHeader.Int32(name, 3),
                    5 => EventStreamHeader.Int64(name, 4),
                    6 => EventStreamHeader.ByteArray(name, new byte[random.Next(40)]),
                    7 => EventStreamHeader.String(name, new string('s', random.Next(40))),
                    8 => EventStreamHeader.Timestamp(name, random.NextInt64()),
                    _ => EventStreamHeader.Uuid(name, Guid.NewGuid()),
                });
            }

            yield return EventStreamWriter.EncodeFrame(headers.ToArray(), new byte[random.Next(0, 100)]);
        }
    }

    private static (byte[] Data, string Mutation) MakeCase(Random random, byte[][] samples)
    {
        int kind = random.Next(7);
        if (kind == 0)
        {
            byte[] noise = new byte[random.Next(0, 300)];
            random.NextBytes(noise);
            return (noise, "random");
        }

        // One to three valid frames; the mutation targets one of them.
        int count = random.Next(1, 4);
        int target = random.Next(count);
        var parts = new List<byte[]>();
        int targetOffset = 0;
        for (int i = 0; i < count; i++)
        {
            if (i == target)
            {
                targetOffset = parts.Sum(p => p.Length);
            }

            parts.Add(samples[random.Next(samples.Length)]);
        }

        byte[] data = [.. parts.SelectMany(p => p)];
        int frameLength = parts[target].Length;
        int headersLength = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(targetOffset + 4));
        switch (kind)
        {
            case 1:
                for (int flips = random.Next(1, 4); flips > 0; flips--)
                {
                    int bit = random.Next(data.Length * 8);
                    data[bit / 8] ^= (byte)(1 << (bit % 8));
                }

                return (data, "bit-flip");
            case 2:
                return (data[..random.Next(data.Length)], "truncate");
            case 3:
                uint total = random.Next(3) switch
                {
                    0 => (uint)random.Next(0, 32),
                    1 => (uint)(frameLength + random.Next(-8, 9)),
                    _ => (uint)random.NextInt64(0, uint.MaxValue + 1L),
                };
                BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(targetOffset), total);
                FixPreludeCrc(data, targetOffset);
                return (data, "total-length");
            case 4:
                // A different headers length with both CRCs recomputed, so the header parser sees misaligned data.
                uint newHeaders = random.Next(2) == 0 ? (uint)random.Next(0, frameLength) : (uint)random.NextInt64(0, uint.MaxValue + 1L);
                BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(targetOffset + 4), newHeaders);
                FixPreludeCrc(data, targetOffset);
                FixMessageCrc(data, targetOffset, frameLength);
                return (data, "headers-length");
            case 5:
                // Random header bytes with the message CRC recomputed.
                if (headersLength > 0)
                {
                    for (int n = random.Next(1, 4); n > 0; n--)
                    {
                        data[targetOffset + 12 + random.Next(headersLength)] = (byte)random.Next(256);
                    }
                }

                FixMessageCrc(data, targetOffset, frameLength);
                return (data, "header-bytes");
            default:
                // Random garbage after valid frames.
                byte[] tail = new byte[random.Next(1, 40)];
                random.NextBytes(tail);
                return ([.. data, .. tail], "trailing-garbage");
        }
    }
}
