using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Contracts;
using Tessera.Node.Apis;
using Tessera.Node.Network;
using Tessera.Node.Security;
using Tessera.Node.Storage;

namespace Tessera.Node.Hosting;

/// <summary>Builds the domain node's web application: storage, authentication, APIs.</summary>
internal static class NodeApplication
{
    public static WebApplication Build(string[] args) => Build(WebApplication.CreateBuilder(args));

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NodeOptions>()
            .Bind(builder.Configuration.GetSection(NodeOptions.Section))
            .Validate(o => !o.Validate().Any(), "Invalid node settings under Tessera:Node (name, token lifetime, iterations, body size).")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Datasets.DatasetFileCache>(_ => new Datasets.DatasetFileCache());
        builder.Services.AddDbContext<NodeDbContext>((services, db) =>
        {
            var options = services.GetRequiredService<IOptions<NodeOptions>>().Value;
            if (string.IsNullOrWhiteSpace(options.Database))
            {
                Directory.CreateDirectory(options.DataDirectory);
                db.UseSqlite($"Data Source={Path.Combine(Path.GetFullPath(options.DataDirectory), "node.db")}");
            }
            else
            {
                db.UseNpgsql(options.Database);
            }
        });
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Owner, p => p.RequireRole(nameof(Role.Owner)))
            .AddPolicy(Policies.OwnerOrAdmin, p => p.RequireRole(nameof(Role.Owner), nameof(Role.Admin)));
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        if (!string.IsNullOrWhiteSpace(builder.Configuration[NodeOptions.Section + ":" + nameof(NodeOptions.Network)]))
        {
            builder.Services.AddHostedService<NetworkRegistration>();
        }

        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            // A result may be NaN or infinite (the mean of no rows, log 0); inputs are checked to be finite where they must be.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<NodeOptions>>((kestrel, node) => kestrel.Limits.MaxRequestBodySize = node.Value.MaxJsonBodyBytes);

        var app = builder.Build();
        // Malformed or oversized bodies surface as BadHttpRequestException: answer with its status (400, 413), not 500.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi();
        app.MapGet(ApiRoutes.Health, async (NodeDbContext db, IOptions<NodeOptions> options, CancellationToken cancellationToken) =>
            await db.Database.CanConnectAsync(cancellationToken).ConfigureAwait(false)
                ? Results.Ok(new HealthResponse("ok", options.Value.Name))
                : Results.Json(new HealthResponse("database unavailable", options.Value.Name), statusCode: StatusCodes.Status503ServiceUnavailable))
            .AllowAnonymous();
        app.MapAuthApi();
        app.MapUsersApi();
        app.MapAuditApi();
        app.MapDatasetsApi();
        app.MapPlansApi();
        app.MapObjectsApi();
        app.MapRequestsApi();
        app.MapBudgetsApi();
        app.MapReleasesApi();
        return app;
    }
}
