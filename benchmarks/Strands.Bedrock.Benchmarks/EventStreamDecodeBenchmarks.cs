using System.Text;
using BenchmarkDotNet.Attributes;
using Strands.Bedrock.EventStream;
using Strands.Bedrock.Testing.Internal;

namespace Strands.Benchmarks;

/// <summary>
/// Decodes a MemoryStream of event-stream frames with <see cref="EventStreamReader"/>: CRC checks, header parsing and
/// payload slicing, no JSON. One operation = one whole stream; see BENCHMARKS.md for MB/s and frames/s.
/// </summary>
[MemoryDiagnoser]
public class EventStreamDecodeBenchmarks
{
    private byte[] _data = [];

    /// <summary>The stream shape: small realistic deltas, or 16 KiB payloads.</summary>
    [Params("delta", "16KiB")]
    public string Shape { get; set; } = "delta";

    /// <summary>Frames per stream.</summary>
    public int FrameCount { get; private set; }

    /// <summary>Bytes per stream.</summary>
    public int ByteCount => _data.Length;

    /// <summary>Builds the stream.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var frames = new List<byte[]>();
        if (Shape == "delta")
        {
            // 10,000 contentBlockDelta frames like the golden fixture (~150-170 bytes each), with varying text.
            for (int i = 0; i < 10_000; i++)
            {
                string text = "word" + (i % 97) + new string('x', i % 23);
                frames.Add(EventStreamWriter.EncodeEvent(
                    "contentBlockDelta",
                    Encoding.UTF8.GetBytes($$"""{"contentBlockIndex":1,"delta":{"text":"{{text}} "},"p":"abcdefg"}""")));
            }
        }
        else
        {
            // 1,000 frames with 16 KiB payloads.
            var random = new Random(42);
            byte[] payload = new byte[16 * 1024];
            for (int i = 0; i < 1_000; i++)
            {
                random.NextBytes(payload);
                frames.Add(EventStreamWriter.EncodeEvent("contentBlockDelta", payload));
            }
        }

        FrameCount = frames.Count;
        _data = [.. frames.SelectMany(f => f)];
        Console.WriteLine($"// Shape={Shape}: {FrameCount} frames, {_data.Length} bytes, {(double)_data.Length / FrameCount:F1} bytes/frame");
    }

    /// <summary>Reads every frame of the stream and touches its payload and event type.</summary>
    /// <returns>A checksum of payload lengths, so nothing is optimised away.</returns>
    [Benchmark]
    public async Task<long> Decode()
    {
        using var stream = new MemoryStream(_data, writable: false);
        await using var reader = new EventStreamReader(stream);
        long total = 0;
        while (await reader.ReadNextAsync().ConfigureAwait(false))
        {
            total += reader.Payload.Length + reader.EventType!.Length;
        }

        return total;
    }
}
