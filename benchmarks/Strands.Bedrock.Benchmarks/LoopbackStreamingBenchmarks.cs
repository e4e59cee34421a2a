using System.Text;
using BenchmarkDotNet.Attributes;
using Strands.Bedrock;
using Strands.Bedrock.Testing;
using Strands.Content;

namespace Strands.Benchmarks;

/// <summary>
/// One ConverseStream call that streams <see cref="Deltas"/> text deltas from <see cref="FakeBedrockServer"/> (Kestrel
/// on loopback) or <see cref="FakeBedrockHandler"/> (in process) through <see cref="BedrockRuntimeClient"/>: SigV4,
/// HTTP/1.1 chunked transfer, frame decoding with CRC checks, JSON of every event. One operation = one whole stream.
/// <see cref="RawHttpRead"/> reads the same body as bytes only, which is the cost of the fake and the HTTP transport
/// without the client's decoding. See BENCHMARKS.md.
/// </summary>
[MemoryDiagnoser]
#pragma warning disable CA1001 // BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes the fields.
public class LoopbackStreamingBenchmarks
#pragma warning restore CA1001
{
    /// <summary>Text deltas per stream.</summary>
    public const int Deltas = 100_000;

    private const int DeltaLength = 8;

    private IFakeBedrock _fake = null!;
    private FakeBedrockServer? _server;
    private BedrockRuntimeClient _client = null!;
    private HttpClient _http = null!;
    private ConverseStreamRequest _request = null!;

    /// <summary>"loopback": Kestrel on 127.0.0.1; "handler": the in-process FakeBedrockHandler (no sockets).</summary>
    [Params("loopback", "handler")]
    public string Transport { get; set; } = "loopback";

    /// <summary>
    /// How the fake writes the body. "event": it renders each event (JSON, padding, frame) and writes and flushes it
    /// on its own, one HTTP chunk per event, as the service does; "16KiB": it renders the events and writes 16 KiB
    /// pieces; "raw": it serves the same bytes rendered beforehand (<see cref="FakeResponse.RawStream"/>) in 16 KiB
    /// pieces, so the fake costs next to nothing and the client's share shows.
    /// </summary>
    [Params("event", "16KiB", "raw")]
    public string Writes { get; set; } = "event";

    /// <summary>Starts the fake and scripts every call to stream the deltas.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        var options = new FakeBedrockServerOptions { VerifyAuthentication = false };
        if (Transport == "loopback")
        {
            _server = await FakeBedrockServer.StartAsync(options);
            _fake = _server;
            _http = new HttpClient { BaseAddress = _server.Endpoint };
        }
        else
        {
            var handler = new FakeBedrockHandler(options);
            _fake = handler;
            _http = new HttpClient(handler, disposeHandler: false) { BaseAddress = FakeBedrockHandler.DefaultEndpoint };
        }

        var text = new StringBuilder(Deltas * DeltaLength);
        for (var i = 0; i < Deltas; i++)
        {
            text.Append("tok").Append((i % 10_000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture)).Append(' ');
        }

        var response = FakeResponse.Text(text.ToString()).WithTextDeltaLength(DeltaLength);
        if (Writes == "16KiB")
        {
            response = response.WithChunkSize(16 * 1024);
        }
        else if (Writes == "raw")
        {
            _fake.Enqueue(response);
            response = FakeResponse.RawStream(await ReadBodyAsync().ConfigureAwait(false), chunkSize: 16 * 1024);
        }

        _fake.RespondWith(_ => response);
        var bytes = await RawHttpRead().ConfigureAwait(false);
        Console.WriteLine($"// {Transport}/{Writes}: {Deltas} deltas, {bytes} body bytes, {(double)bytes / Deltas:F1} bytes/delta frame");
        _client = _fake.CreateClient(maxAttempts: 1);
        _request = new ConverseStreamRequest { ModelId = "us.amazon.nova-pro-v1:0", Messages = [Message.User("Stream a lot.")] };
    }

    /// <summary>Stops the fake.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _client.Dispose();
        _http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>The client decodes the whole stream into events.</summary>
    /// <returns>The number of text deltas (checked).</returns>
    [Benchmark(Baseline = true)]
    public async Task<int> ClientStream()
    {
        var deltas = 0;
        await foreach (var e in _client.ConverseStreamAsync(_request).ConfigureAwait(false))
        {
            if (e is ContentBlockDeltaEvent { Delta.Text: not null })
            {
                deltas++;
            }
        }

        if (deltas != Deltas)
        {
            throw new InvalidOperationException($"Expected {Deltas} deltas, got {deltas}.");
        }

        return deltas;
    }

    /// <summary>The same body read as bytes and discarded: the fake's and the transport's share of the cost.</summary>
    /// <returns>The body length.</returns>
    [Benchmark]
    public async Task<long> RawHttpRead()
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        await foreach (var n in ReadChunksAsync(buffer).ConfigureAwait(false))
        {
            total += n;
        }

        return total;
    }

    private async Task<byte[]> ReadBodyAsync()
    {
        var buffer = new byte[64 * 1024];
        using var body = new MemoryStream();
        await foreach (var n in ReadChunksAsync(buffer).ConfigureAwait(false))
        {
            body.Write(buffer, 0, n);
        }

        return body.ToArray();
    }

    private async IAsyncEnumerable<int> ReadChunksAsync(byte[] buffer)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "model/us.amazon.nova-pro-v1%3A0/converse-stream")
        {
            Content = new StringContent("""{"messages":[{"role":"user","content":[{"text":"Stream a lot."}]}]}""", Encoding.UTF8, "application/json"),
        };
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            int n;
            while ((n = await body.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                yield return n;
            }
        }
    }
}
