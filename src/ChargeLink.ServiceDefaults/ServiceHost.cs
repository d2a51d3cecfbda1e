using Microsoft.AspNetCore.Builder;

namespace ChargeLink.ServiceDefaults;

/// <summary>
/// A service's whole life in its Program.cs: build, map, run. A service that refuses its settings (a development secret
/// outside development) says why in one line each and exits with 1, instead of a stack trace.
/// </summary>
public static class ServiceHost
{
    public static async Task<int> Run(
        string[] args,
        string serviceName,
        Action<WebApplicationBuilder> add,
        Action<WebApplication> map
    )
    {
        var builder = WebApplication.CreateBuilder(args);
        try
        {
            add(builder);
        }
        catch (UnsafeSettingsException refused)
        {
            foreach (var line in refused.Lines(serviceName))
                await Console.Error.WriteLineAsync(line);
            return 1;
        }
        var app = builder.Build();
        map(app);
        await app.RunAsync();
        return 0;
    }
}
