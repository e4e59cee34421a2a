namespace Strands.Bedrock.Testing.Internal;

/// <summary>Client options that authenticate the way a fake expects.</summary>
internal static class FakeClientOptions
{
    public static BedrockClientOptions For(FakeBedrockServerOptions options, int maxAttempts) => new()
    {
        Region = options.Region,
        Credentials = options.BearerToken is null ? options.Credentials ?? FakeBedrockServerOptions.DefaultCredentials : null,
        BearerToken = options.BearerToken,
        MaxAttempts = maxAttempts,
    };
}
