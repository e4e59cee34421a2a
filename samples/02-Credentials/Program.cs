// Credentials: the default AWS credential chain, environment variables, and explicit keys, session token, region
// and profile (the .NET counterpart of the custom boto3 Session of the Python docs).
// Offline by default (scripted responses); pass --live to call Amazon Bedrock.
using Amazon.Runtime;
using Strands.Agents;
using Strands.Bedrock;
using Strands.Bedrock.Testing;
using Strands.Models;
using Strands.Samples;

await SampleHost.RunAsync(args, async () =>
{
    // Offline, the fake expects signatures from the placeholder keys of the explicit example below; the host exports
    // the same keys as AWS_ACCESS_KEY_ID & co., so the default chain finds them too.
    await using var host = await SampleHost.StartAsync(args,
        new FakeBedrockServerOptions { Credentials = new SessionAWSCredentials("your_access_key", "your_secret_key", "your_session_token") },
        FakeResponse.Text("Signed with the credentials of the default chain."),
        FakeResponse.Text("Signed with the explicit session credentials."));

    Console.WriteLine("== 1. The default credential chain ==");
    // Nothing to configure: credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, then
    // web identity, then the profile (AWS_PROFILE or "default", including SSO and assume-role profiles), then the
    // container or instance role. The region from AWS_REGION, AWS_DEFAULT_REGION, the profile, then us-west-2.
    using (var defaultModel = new BedrockModel())
    {
        Console.WriteLine($"region: {defaultModel.Region}");
        await new Agent(defaultModel).InvokeAsync("Which credentials did you get?");
        Console.WriteLine();
        host.ShowRequests();
    }

    Console.WriteLine("== 2. Environment variables ==");
    // The default chain reads them (export AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... AWS_SESSION_TOKEN=...
    // AWS_REGION=us-west-2). A Bedrock API key in AWS_BEARER_TOKEN_BEDROCK is sent instead of a SigV4 signature.
    foreach (var name in new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_PROFILE", "AWS_BEARER_TOKEN_BEDROCK", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME" })
    {
        // Only whether each is set: credentials are never printed.
        Console.WriteLine($"{name}: {(Environment.GetEnvironmentVariable(name) is { Length: > 0 } ? "set" : "not set")}");
    }

    Console.WriteLine("== 3. Explicit credentials, region and profile ==");
    // <snippet:credentials-explicit>
    // Explicit credentials: the counterpart of boto3.Session(aws_access_key_id=..., aws_secret_access_key=...,
    // aws_session_token=..., region_name=...). BasicAWSCredentials when there is no session token.
    var clientOptions = new BedrockClientOptions
    {
        Credentials = new SessionAWSCredentials("your_access_key", "your_secret_key", "your_session_token"),
        Region = "us-west-2",
    };

    // Create a Bedrock model with the custom client options
    using var bedrockModel = new BedrockModel(
        new BedrockModelConfig { ModelId = "us.anthropic.claude-3-7-sonnet-20250219-v1:0" },
        clientOptions);

    // Or take credentials and region from a profile of ~/.aws/config and ~/.aws/credentials
    var profileOptions = new BedrockClientOptions { ProfileName = "your-profile" };
    // </snippet:credentials-explicit>

    Console.WriteLine($"explicit: region {bedrockModel.Region}");
    if (host.IsLive)
    {
        Console.WriteLine("explicit: not sent, the keys are placeholders.");
    }
    else
    {
        await new Agent(bedrockModel).InvokeAsync("Which credentials did you get?");
        Console.WriteLine();
        host.ShowRequests();
    }

    try
    {
        // A profile is read when the client is created, so a missing one fails here, with a message that says what to fix.
        using var profileModel = new BedrockModel(clientOptions: profileOptions);
        Console.WriteLine($"profile: region {profileModel.Region}");
    }
    catch (BedrockCredentialsException ex)
    {
        Console.WriteLine($"profile: {ex.Message}");
    }
});
