using System.Text;
using Strands.Bedrock.EventStream;
using Xunit;
using Strands.Bedrock.Testing.Internal;

namespace Strands.Tests.Bedrock.EventStream;

public class EventStreamAllocationTests
{
    [Fact]
    public void Steady_state_decoding_allocates_nothing_per_frame()
    {
        byte[] frame = EventStreamWriter.EncodeEvent(
            "contentBlockDelta",
            Encoding.UTF8.GetBytes("""{"contentBlockIndex":1,"delta":{"text":"Let me check the weather"},"p":"abcdefghij"}"""));
        const int frames = 10_000;
        byte[] data = new byte[frame.Length * frames];
        for (int i = 0; i < frames; i++)
        {
            frame.CopyTo(data, i * frame.Length);
        }

        var stream = new MemoryStream(data);
        using var reader = new EventStreamReader(stream);
        int decoded = Drain(reader, 100); // warm-up: rents the buffer, grows the header list

        long before = GC.GetAllocatedBytesForCurrentThread();
        decoded += Drain(reader, int.MaxValue);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(frames, decoded);
        Assert.True(allocated < 1024, $"{allocated} bytes allocated while decoding {frames - 100} frames");
    }

    private static int Drain(EventStreamReader reader, int max)
    {
        int count = 0;
        while (count < max)
        {
            // A MemoryStream completes synchronously, so the ValueTask is always already complete here.
            ValueTask<bool> next = reader.ReadNextAsync();
            bool more;
            if (next.IsCompletedSuccessfully)
            {
                more = next.Result;
            }
            else
            {
                Assert.Fail("a read from a MemoryStream did not complete synchronously");
                return count;
            }

            if (!more)
            {
                break;
            }

            if (!ReferenceEquals(reader.EventType, "contentBlockDelta") || reader.Payload.Length == 0)
            {
                Assert.Fail("unexpected frame");
            }

            count++;
        }

        return count;
    }
}
