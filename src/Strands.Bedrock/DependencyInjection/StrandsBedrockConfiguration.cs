using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Reads <see cref="StrandsBedrockOptions"/> from a configuration section by hand (no reflection binding, so it is
/// trimming- and AOT-safe). Keys are matched case-insensitively; a value that does not parse is recorded with its key
/// and reported by the options validator.
/// </summary>
internal static class StrandsBedrockConfiguration
{
    public static void Read(IConfiguration section, StrandsBedrockOptions options)
    {
        options.ConfigurationPath = (section as IConfigurationSection)?.Path;
        ReadString(section, "ModelId", v => options.ModelId = v);
        ReadString(section, "Region", v => options.Region = v);
        ReadString(section, "Profile", v => options.Profile = v);
        ReadString(section, "HttpClientName", v => options.HttpClientName = v);
        Read<Uri?>(section, options, "Endpoint", "an absolute URI", static (string s, out Uri? v) => Uri.TryCreate(s, UriKind.Absolute, out v), v => options.Endpoint = v);
        Read<bool>(section, options, "UseFipsEndpoint", "true or false", bool.TryParse, v => options.UseFipsEndpoint = v);
        Read<bool>(section, options, "Streaming", "true or false", bool.TryParse, v => options.Streaming = v);
        Read<int>(section, options, "MaxAttempts", "an integer", TryParseInt, v => options.MaxAttempts = v);
        Read<int>(section, options, "MaxTokens", "an integer", TryParseInt, v => options.MaxTokens = v);
        Read<double>(section, options, "Temperature", "a number", TryParseDouble, v => options.Temperature = v);
        Read<double>(section, options, "TopP", "a number", TryParseDouble, v => options.TopP = v);
        Read<TimeSpan>(section, options, "ConnectTimeout", "a time span (00:00:10) or seconds", TryParseTimeSpan, v => options.ConnectTimeout = v);
        Read<TimeSpan>(section, options, "ReadTimeout", "a time span (00:02:00) or seconds", TryParseTimeSpan, v => options.ReadTimeout = v);

        var stops = section.GetSection("StopSequences");
        if (stops.Value is { } single)
        {
            options.StopSequences = [single];
        }
        else if (stops.GetChildren().Select(c => c.Value).OfType<string>().ToList() is { Count: > 0 } list)
        {
            options.StopSequences = list;
        }
    }

    private delegate bool TryParse<T>(string value, out T result);

    private static void ReadString(IConfiguration section, string key, Action<string> set)
    {
        if (section[key] is { } value)
        {
            set(value);
        }
    }

    private static void Read<T>(IConfiguration section, StrandsBedrockOptions options, string key, string expected, TryParse<T> parse, Action<T> set)
    {
        if (section[key] is not { } value)
        {
            return;
        }

        if (parse(value.Trim(), out var parsed))
        {
            set(parsed);
        }
        else
        {
            options.ConfigurationErrors.Add($"{options.KeyName(key)} must be {expected}, got '{value}'.");
        }
    }

    private static bool TryParseInt(string value, out int result) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out result);

    private static bool TryParseDouble(string value, out double result) => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out result);

    private static bool TryParseTimeSpan(string value, out TimeSpan result)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and < 1e9)
        {
            result = TimeSpan.FromSeconds(seconds);
            return true;
        }

        return TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out result);
    }
}
