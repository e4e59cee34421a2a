using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Strands.Bedrock;
using Strands.Models;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Strands on Amazon Bedrock in a service collection.</summary>
public static class StrandsBedrockServiceCollectionExtensions
{
    /// <summary>
    /// Registers, as singletons, an <see cref="IBedrockRuntimeClient"/> (a <see cref="BedrockRuntimeClient"/> sending
    /// through the named <see cref="HttpClient"/> <see cref="StrandsBedrockOptions.DefaultHttpClientName"/> of
    /// <see cref="System.Net.Http.IHttpClientFactory"/>), a <see cref="BedrockModel"/>, the same model as
    /// <see cref="IModel"/>, and the model as an <see cref="IChatClient"/>. Loggers come from the container's
    /// <see cref="ILoggerFactory"/>, the clock from its <see cref="TimeProvider"/> if it has one. Services already
    /// registered (for example a mock <see cref="IBedrockRuntimeClient"/>) are kept. The options are validated at
    /// start (<c>ValidateOnStart</c>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options in code; runs after the defaults.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddStrandsBedrock(this IServiceCollection services, Action<StrandsBedrockOptions>? configure = null)
        => Add(services, null, null, configure);

    /// <summary>
    /// Registers Strands on Bedrock as <see cref="AddStrandsBedrock(IServiceCollection, Action{StrandsBedrockOptions}?)"/>
    /// does, with options read from a configuration section (keys as in <see cref="StrandsBedrockOptions"/>), e.g.
    /// <c>services.AddStrandsBedrock(configuration.GetSection("Strands:Bedrock"))</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <param name="configure">Adjusts the options after the section was read.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddStrandsBedrock(this IServiceCollection services, IConfiguration configuration, Action<StrandsBedrockOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, null, configuration, configure);
    }

    /// <summary>
    /// Registers Strands on Bedrock as keyed services (resolve them with <c>[FromKeyedServices(key)]</c> or
    /// <c>GetRequiredKeyedService</c>), so several models can live side by side. Options are named after the key
    /// (<c>Strands.Bedrock:{key}</c>), and so is the <see cref="HttpClient"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The key.</param>
    /// <param name="configure">Sets the options in code.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddKeyedStrandsBedrock(this IServiceCollection services, object serviceKey, Action<StrandsBedrockOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        return Add(services, serviceKey, null, configure);
    }

    /// <summary>Registers Strands on Bedrock as keyed services, with options read from a configuration section.</summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The key.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <param name="configure">Adjusts the options after the section was read.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddKeyedStrandsBedrock(this IServiceCollection services, object serviceKey, IConfiguration configuration, Action<StrandsBedrockOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, serviceKey, configuration, configure);
    }

    /// <summary>The name of the options (and the suffix of the <see cref="HttpClient"/>) of a registration.</summary>
    internal static string OptionsName(object? serviceKey) => serviceKey is null ? Options.Options.DefaultName : $"{StrandsBedrockOptions.DefaultHttpClientName}:{serviceKey}";

    private static IServiceCollection Add(IServiceCollection services, object? serviceKey, IConfiguration? configuration, Action<StrandsBedrockOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var name = OptionsName(serviceKey);
        var httpClientName = serviceKey is null ? StrandsBedrockOptions.DefaultHttpClientName : name;

        var options = services.AddOptions<StrandsBedrockOptions>(name);
        if (configuration is not null)
        {
            options.Configure(o => StrandsBedrockConfiguration.Read(configuration, o));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StrandsBedrockOptions>, StrandsBedrockOptionsValidator>());

        // Bedrock's transport: no redirects or cookies, connections recycled for DNS, no overall timeout (the client
        // has its own read timeout, and streams may be long). The client holds its HttpClient for its whole life.
        services.AddHttpClient(httpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => BedrockHandlerChain.CreateSocketsHandler(new BedrockClientOptions
            {
                ConnectTimeout = OptionsOf(sp, name).ConnectTimeout ?? new BedrockClientOptions().ConnectTimeout,
            }))
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RedactLoggedHeaders(["Authorization", "X-Amz-Security-Token"]);

        if (serviceKey is null)
        {
            services.TryAddSingleton<IBedrockRuntimeClient>(sp => CreateClient(sp, name, httpClientName));
            services.TryAddSingleton(sp => CreateModel(sp, sp.GetRequiredService<IBedrockRuntimeClient>(), name));
            services.TryAddSingleton<IModel>(sp => sp.GetRequiredService<BedrockModel>());
            services.TryAddSingleton(sp => sp.GetRequiredService<BedrockModel>().AsIChatClient());
        }
        else
        {
            services.TryAddKeyedSingleton<IBedrockRuntimeClient>(serviceKey, (sp, _) => CreateClient(sp, name, httpClientName));
            services.TryAddKeyedSingleton(serviceKey, (sp, key) => CreateModel(sp, sp.GetRequiredKeyedService<IBedrockRuntimeClient>(key), name));
            services.TryAddKeyedSingleton<IModel>(serviceKey, (sp, key) => sp.GetRequiredKeyedService<BedrockModel>(key));
            services.TryAddKeyedSingleton(serviceKey, (sp, key) => sp.GetRequiredKeyedService<BedrockModel>(key).AsIChatClient());
        }

        return services;
    }

    private static StrandsBedrockOptions OptionsOf(IServiceProvider services, string name)
        => services.GetRequiredService<IOptionsMonitor<StrandsBedrockOptions>>().Get(name);

    private static BedrockRuntimeClient CreateClient(IServiceProvider services, string name, string defaultHttpClientName)
    {
        var options = OptionsOf(services, name);
        var defaults = new BedrockClientOptions();
        var clientOptions = new BedrockClientOptions
        {
            Region = options.Region,
            ProfileName = options.Profile,
            EndpointUrl = options.Endpoint,
            UseFipsEndpoint = options.UseFipsEndpoint,
            MaxAttempts = options.MaxAttempts ?? defaults.MaxAttempts,
            ConnectTimeout = options.ConnectTimeout ?? defaults.ConnectTimeout,
            ReadTimeout = options.ReadTimeout ?? defaults.ReadTimeout,
            HttpClient = services.GetRequiredService<IHttpClientFactory>().CreateClient(options.HttpClientName ?? defaultHttpClientName),
            LoggerFactory = services.GetService<ILoggerFactory>(),
            TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System,
        };
        return new BedrockRuntimeClient(options.ConfigureClient?.Invoke(clientOptions) ?? clientOptions);
    }

    private static BedrockModel CreateModel(IServiceProvider services, IBedrockRuntimeClient client, string name)
        => new(client, OptionsOf(services, name).ToModelConfig(), services.GetService<ILoggerFactory>());
}
