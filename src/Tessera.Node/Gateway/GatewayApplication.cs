using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tessera.Contracts;
using Tessera.Node.Apis;

namespace Tessera.Node.Gateway;

/// <summary>
/// Builds the network gateway (<c>Tessera:Mode = gateway</c>): a public directory where domains register and send heartbeats
/// and anyone searches catalogues by tag. It has its own database and no accounts; it never holds data values.
/// </summary>
internal static class GatewayApplication
{
    /// <summary>The configuration key that selects the mode: <c>node</c> (default) or <c>gateway</c>.</summary>
    public const string ModeKey = "Tessera:Mode";

    /// <summary>Whether the configuration selects gateway mode; throws on a mode that is neither node nor gateway.</summary>
    public static bool IsSelected(IConfiguration configuration)
    {
        var mode = configuration[ModeKey];
        if (string.IsNullOrWhiteSpace(mode) || string.Equals(mode, "node", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return string.Equals(mode, "gateway", StringComparison.OrdinalIgnoreCase)
            ? true
            : throw new InvalidOperationException($"{ModeKey} must be 'node' or 'gateway'.");
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>()
            .Bind(builder.Configuration.GetSection(GatewayOptions.Section))
            .Validate(o => !o.Validate().Any(), "Invalid gateway settings under Tessera:Gateway (name, windows, body size, limits).")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddDbContext<GatewayDbContext>((services, db) =>
        {
            var options = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
            if (string.IsNullOrWhiteSpace(options.Database))
            {
                Directory.CreateDirectory(options.DataDirectory);
                db.UseSqlite($"Data Source={Path.Combine(Path.GetFullPath(options.DataDirectory), "gateway.db")}");
            }
            else
            {
                db.UseNpgsql(options.Database);
            }
        });
        builder.Services.AddHostedService<HeartbeatSweeper>();
        builder.Services.AddRateLimiter(ConfigureRateLimits);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<GatewayOptions>>((kestrel, gateway) => kestrel.Limits.MaxRequestBodySize = gateway.Value.MaxJsonBodyBytes);

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.MapOpenApi();
        app.MapGet(ApiRoutes.Health, async (GatewayDbContext db, IOptions<GatewayOptions> options, CancellationToken cancellationToken) =>
            await db.Database.CanConnectAsync(cancellationToken).ConfigureAwait(false)
                ? Results.Ok(new GatewayHealthResponse("ok", options.Value.Name, "gateway"))
                : Results.Json(new GatewayHealthResponse("database unavailable", options.Value.Name, "gateway"),
                    statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapNetworkApi();
        return app;
    }

    /// <summary>Applies the gateway's migrations.</summary>
    public static async Task PrepareAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<GatewayDbContext>().Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Per client address: a tight window for open registration, a wider one for heartbeats and searches.</summary>
    private static void ConfigureRateLimits(RateLimiterOptions limiter)
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.OnRejected = (context, cancellationToken) =>
        {
            if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            {
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return new ValueTask(Problems.Write(context.HttpContext, StatusCodes.Status429TooManyRequests, NetworkProblemTypes.RateLimited,
                "Too many requests", "This address sent too many requests this minute; wait and retry."));
        };
        limiter.AddPolicy(NetworkApi.RegistrationPolicy, context => PerClient(context, o => o.RegistrationsPerMinute));
        limiter.AddPolicy(NetworkApi.RequestPolicy, context => PerClient(context, o => o.RequestsPerMinute));
    }

    private static RateLimitPartition<string> PerClient(HttpContext context, Func<GatewayOptions, int> permits)
    {
        var limit = permits(context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value);
        return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
    }
}
