// FakeBedrockServer in its own process, for the loopback benchmarks: it answers LoopbackScript's conversation (a tool
// round trip, or 100,000 text deltas served from pre-rendered bytes) and prints "listening <endpoint>"; it stops when
// its standard input closes, so it never outlives the benchmark that started it.
//
//   dotnet Strands.Bedrock.FakeBedrockHost.dll
//
// The fake does not check SigV4 here, so an unsigned raw HttpClient baseline gets the same answers as the client (which
// still signs every request); the fake's own cost is then the same for both.

using Strands.Bedrock.Testing;
using Strands.Benchmarks.Shared;

await using var server = await FakeBedrockServer.StartAsync(new FakeBedrockServerOptions { VerifyAuthentication = false });
var (deltas, body) = await LoopbackScript.PreRenderAsync(LoopbackScript.DeltasAnswer());

// The fake records every request; forget them now and then so that a long benchmark run does not grow the process.
// Requests arrive one at a time here (one benchmark client), so resetting inside the responder races with nothing.
var script = LoopbackScript.Responder(deltas);
var answered = 0;
FakeResponse Respond(RecordedRequest request)
{
    if (++answered % 256 == 0)
    {
        server.Reset();
        server.RespondWith(Respond);
    }

    return script(request);
}

server.RespondWith(Respond);
Console.WriteLine($"listening {server.Endpoint} deltas-body-bytes {body.Length}");
await Console.In.ReadToEndAsync();
