using Microsoft.Extensions.Options;
using Strands.Models;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Checks <see cref="StrandsBedrockOptions"/>; every failure names its key (the configuration path when read from one).</summary>
internal sealed class StrandsBedrockOptionsValidator : IValidateOptions<StrandsBedrockOptions>
{
    public ValidateOptionsResult Validate(string? name, StrandsBedrockOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>(options.ConfigurationErrors);
        if (string.IsNullOrWhiteSpace(options.ModelId))
        {
            failures.Add($"{options.KeyName("ModelId")} must not be empty.");
        }

        if (options.Region is { } region && (region.Length == 0 || !region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            failures.Add($"{options.KeyName("Region")} must be an AWS region name such as us-east-1, got '{region}'.");
        }

        if (options.Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add($"{options.KeyName("Endpoint")} must be an absolute http or https URI, got '{endpoint}'.");
        }

        if (options.Endpoint is not null && options.UseFipsEndpoint)
        {
            failures.Add($"{options.KeyName("UseFipsEndpoint")} cannot be combined with {options.KeyName("Endpoint")}.");
        }

        if (options.MaxAttempts is < 1)
        {
            failures.Add($"{options.KeyName("MaxAttempts")} must be at least 1, got {options.MaxAttempts}.");
        }

        CheckTimeout(options, "ConnectTimeout", options.ConnectTimeout, failures);
        CheckTimeout(options, "ReadTimeout", options.ReadTimeout, failures);
        if (options.MaxTokens is < 1)
        {
            failures.Add($"{options.KeyName("MaxTokens")} must be at least 1, got {options.MaxTokens}.");
        }

        CheckUnitInterval(options, "Temperature", options.Temperature, failures);
        CheckUnitInterval(options, "TopP", options.TopP, failures);
        if (failures.Count == 0)
        {
            try
            {
                BedrockModel.Validate(options.ToModelConfig());
            }
            catch (ArgumentException ex)
            {
                failures.Add($"{nameof(StrandsBedrockOptions.ConfigureModel)} made an invalid model configuration: {ex.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckTimeout(StrandsBedrockOptions options, string key, TimeSpan? value, List<string> failures)
    {
        if (value is { } timeout && timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            failures.Add($"{options.KeyName(key)} must be positive, got {timeout}.");
        }
    }

    private static void CheckUnitInterval(StrandsBedrockOptions options, string key, double? value, List<string> failures)
    {
        if (value is { } v && (double.IsNaN(v) || v < 0 || v > 1))
        {
            failures.Add($"{options.KeyName(key)} must be between 0 and 1, got {v}.");
        }
    }
}
