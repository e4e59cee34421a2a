using Strands.Bedrock.EventStream;
using Strands.Tests.TestUtilities;
using Xunit;
using static Strands.Tests.Bedrock.EventStream.EventStreamTestSupport;

namespace Strands.Tests.Bedrock.EventStream;

public class EventStreamCancellationTests
{
    [Fact]
    public async Task Cancelling_a_read_that_waits_forever_throws_OperationCanceledException()
    {
        var stream = new NeverEndingStream();
        await using var reader = new EventStreamReader(stream);
        using var cts = new CancellationTokenSource();

        ValueTask<bool> read = reader.ReadNextAsync(cts.Token);
        Assert.False(read.IsCompleted);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await read);
        Assert.Equal(1, stream.ReadCalls);
    }

    [Fact]
    public async Task An_already_cancelled_token_throws_without_reading()
    {
        var stream = new NeverEndingStream();
        await using var reader = new EventStreamReader(stream);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.ReadNextAsync(new CancellationToken(true)));
        Assert.Equal(0, stream.ReadCalls);
    }

    [Fact]
    public async Task A_read_cancelled_mid_frame_keeps_the_bytes_received_and_the_next_read_completes_the_frame()
    {
        byte[] data = WireFixtures.Bytes("converse-stream.bin");
        var stream = new GatedStream();
        await using var reader = new EventStreamReader(stream);
        stream.Feed(data[..50]);

        using (var cts = new CancellationTokenSource())
        {
            ValueTask<bool> read = reader.ReadNextAsync(cts.Token);
            Assert.False(read.IsCompleted);
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await read);
        }

        stream.Feed(data[50..]);
        stream.Complete();
        var events = new List<string?>();
        while (await reader.ReadNextAsync())
        {
            events.Add(reader.EventType);
        }

        Assert.Equal(13, events.Count);
        Assert.Equal("messageStart", events[0]);
    }

    [Fact]
    public async Task A_concurrent_read_is_rejected()
    {
        await using var reader = new EventStreamReader(new NeverEndingStream());
        using var cts = new CancellationTokenSource();
        ValueTask<bool> first = reader.ReadNextAsync(cts.Token);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await reader.ReadNextAsync());
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await first);
    }
}
