// Sessions: a conversation that outlives the agent (and the process). Each message is stored as it joins the
// history, in Strands for Python's layout; a new agent with the same session id restores the conversation and goes
// on. Offline by default (scripted responses, files in a temporary directory); pass --live to call Amazon Bedrock,
// and --s3 <bucket> to keep the session in S3 instead of files.
using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Samples;
using Strands.Sessions;

await SampleHost.RunAsync(args, async () =>
{
    await using var host = await SampleHost.StartAsync(args,
        FakeResponse.Text("Nice to meet you, Alice! Seattle is a great place to live."),
        FakeResponse.Text("Your name is Alice, and you live in Seattle."));

    var storageDir = Path.Combine(Path.GetTempPath(), "strands-sample-sessions");
    var bucket = args.SkipWhile(a => a != "--s3").Skip(1).FirstOrDefault();
    if (bucket is null && Directory.Exists(storageDir))
    {
        Directory.Delete(storageDir, recursive: true); // a fresh conversation each run
    }

    ISessionRepository Store() => bucket is null ? FileStore(storageDir) : S3Store(bucket);

    // <snippet:sessions-first-agent>
    // One agent (one request, one process): the conversation is stored as it happens.
    await using (var agent = new Agent(options: new AgentOptions
    {
        SessionManager = new RepositorySessionManager("user-42", Store()),
    }))
    {
        await agent.InvokeAsync("Hi, I'm Alice and I live in Seattle.");
        Console.WriteLine();
    }

    // Later, anywhere that reaches the store: a new agent with the same session id continues the conversation.
    await using var resumed = new Agent(options: new AgentOptions
    {
        SessionManager = new RepositorySessionManager("user-42", Store()),
    });
    var result = await resumed.InvokeAsync("What is my name, and where do I live?");
    // </snippet:sessions-first-agent>
    Console.WriteLine();
    Console.WriteLine($"restored and continued: {resumed.Messages.Count} messages");
    if (bucket is null)
    {
        foreach (var file in Directory.EnumerateFiles(storageDir, "*.json", SearchOption.AllDirectories).Order())
        {
            Console.WriteLine($"stored: {Path.GetRelativePath(storageDir, file)}");
        }
    }

    host.ShowRequests("messages");
});

static ISessionRepository FileStore(string storageDir)
{
    // <snippet:sessions-file-store>
    var repository = new FileSessionRepository(storageDir);
    // </snippet:sessions-file-store>
    return repository;
}

static ISessionRepository S3Store(string bucket)
{
    // <snippet:sessions-s3-store>
    // Credentials, region and endpoint resolve like the Bedrock client's (AWS_ENDPOINT_URL_S3 included).
    var repository = new S3SessionRepository(bucket, prefix: "production/", new S3SessionRepositoryOptions { Region = "us-west-2" });
    // </snippet:sessions-s3-store>
    return repository;
}
