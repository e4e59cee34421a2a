using System.Diagnostics;
namespace Strands.Benchmarks;
public static class Prof
{
    public static async Task Run()
    {
        var b = new ClientBenchmarks(); b.Setup();
        for (int round = 0; round < 3; round++)
        {
            long a0 = GC.GetAllocatedBytesForCurrentThread(); var sw = Stopwatch.StartNew();
            for (int i = 0; i < 10; i++) await b.DecodeStreamIntoEvents();
            Console.WriteLine($"stream: {sw.Elapsed.TotalMilliseconds * 1e6 / 100000:F0} ns/event, {(GC.GetAllocatedBytesForCurrentThread() - a0) / 100000} B/event (this thread)");
        }
    }
}
