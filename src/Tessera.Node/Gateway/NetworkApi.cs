using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Contracts;
using Tessera.Node.Apis;
using Tessera.Node.Security;

namespace Tessera.Node.Gateway;

/// <summary>
/// The gateway's network API: open registration, heartbeats authenticated by the domain secret, and tag search over live
/// domains. A heartbeat without an <c>Authorization</c> header answers 401; with one, an unknown id, a malformed id and a
/// wrong secret all answer the same 404, so a caller cannot tell which domains exist.
/// </summary>
internal static class NetworkApi
{
    public const string RegistrationPolicy = "gateway-registration";
    public const string RequestPolicy = "gateway-requests";

    public static IEndpointRouteBuilder MapNetworkApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(NetworkRoutes.Domains, RegisterAsync).RequireRateLimiting(RegistrationPolicy)
            .Accepts<DomainRegistrationRequest>("application/json").Produces<DomainRegistrationResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        app.MapPut(NetworkRoutes.Heartbeat, HeartbeatAsync).RequireRateLimiting(RequestPolicy)
            .Accepts<DomainHeartbeatRequest>("application/json").Produces<DomainHeartbeatResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet(NetworkRoutes.Search, SearchAsync).RequireRateLimiting(RequestPolicy)
            .Produces<List<NetworkSearchResult>>().ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    internal static async Task<IResult> RegisterAsync(HttpRequest request, GatewayDbContext db, TimeProvider time,
        IOptions<GatewayOptions> options, IOptions<JsonOptions> json, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var (body, bodyProblem) = await GatewayRequestBody.ReadAsync<DomainRegistrationRequest>(
            request, settings.MaxJsonBodyBytes, json.Value.SerializerOptions, cancellationToken).ConfigureAwait(false);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        if (body is null)
        {
            return Problems.Invalid("Send {\"name\": ..., \"url\": ..., \"datasets\": [{\"id\", \"name\", \"description\", \"tags\"}]}.");
        }

        var name = CatalogueRules.DomainName(body.Name, out var problem);
        var url = name is null ? null : CatalogueRules.BaseUrl(body.Url, out problem);
        var catalogue = url is null ? null : CatalogueRules.Catalogue(body.Datasets, out problem);
        if (problem is not null || name is null || url is null || catalogue is null)
        {
            return Problems.Invalid(problem ?? "The registration is not valid.");
        }

        if (await db.Domains.CountAsync(cancellationToken).ConfigureAwait(false) >= settings.MaxDomains)
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, NetworkProblemTypes.NetworkFull, "Network full",
                "The gateway holds as many domains as it is configured to; try again after silent domains are purged.");
        }

        var secret = Ids.NewSecret();
        var now = time.GetUtcNow();
        var domain = new DomainRecord
        {
            Id = Ids.NewId(),
            Name = name,
            Url = url,
            SecretHash = Ids.Hash(secret),
            CatalogueHash = CatalogueRules.Hash(catalogue),
            DatasetCount = catalogue.Count,
            RegisteredAt = now,
            LastSeen = now,
        };
        db.Domains.Add(domain);
        AddCatalogue(db, domain.Id, catalogue);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        GatewayLog.Registered(logs.CreateLogger(typeof(NetworkApi)), domain.Id, catalogue.Count);
        return Results.Created((string?)null, new DomainRegistrationResponse(domain.Id, secret, settings.LivenessWindow));
    }

    internal static async Task<IResult> HeartbeatAsync(string id, HttpRequest request, GatewayDbContext db, TimeProvider time,
        IOptions<GatewayOptions> options, IOptions<JsonOptions> json, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var secret = BearerSecret(request);
        if (secret is null)
        {
            return Problems.Unauthenticated("Send the domain secret from registration as Authorization: Bearer SECRET.");
        }

        var (body, bodyProblem) = await GatewayRequestBody.ReadAsync<DomainHeartbeatRequest>(
            request, settings.MaxJsonBodyBytes, json.Value.SerializerOptions, cancellationToken).ConfigureAwait(false);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var domain = Ids.LooksLikeId(id)
            ? await db.Domains.SingleOrDefaultAsync(d => d.Id == id, cancellationToken).ConfigureAwait(false)
            : null;
        if (domain is null || !SecretMatches(secret, domain.SecretHash))
        {
            GatewayLog.HeartbeatRefused(logs.CreateLogger(typeof(NetworkApi)));
            return Problems.NotFound("domain");
        }

        IReadOnlyList<NetworkDatasetEntry>? catalogue = null;
        if (body?.Datasets is not null)
        {
            catalogue = CatalogueRules.Catalogue(body.Datasets, out var problem);
            if (catalogue is null)
            {
                return Problems.Invalid(problem ?? "The catalogue is not valid.");
            }
        }

        domain.LastSeen = time.GetUtcNow();
        var hash = catalogue is null ? null : CatalogueRules.Hash(catalogue);
        if (catalogue is null || hash == domain.CatalogueHash)
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Replace the catalogue atomically: searches see the old one or the new one, never half of each.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await db.Tags.Where(t => t.DomainId == domain.Id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            await db.Datasets.Where(d => d.DomainId == domain.Id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            AddCatalogue(db, domain.Id, catalogue);
            domain.CatalogueHash = hash!;
            domain.DatasetCount = catalogue.Count;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            GatewayLog.CatalogueReplaced(logs.CreateLogger(typeof(NetworkApi)), domain.Id, catalogue.Count);
        }

        return Results.Ok(new DomainHeartbeatResponse(domain.Id, domain.LastSeen, domain.DatasetCount, settings.LivenessWindow));
    }

    /// <summary>Live domains with datasets that carry every tag, newest heartbeat first; at most <paramref name="limit"/> domains (1 to 100, default 50).</summary>
    internal static async Task<IResult> SearchAsync(string[]? tag, int? limit, GatewayDbContext db, TimeProvider time,
        IOptions<GatewayOptions> options, CancellationToken cancellationToken)
    {
        if (tag is null || tag.Length == 0 || tag.Length > CatalogueRules.MaxSearchTags)
        {
            return Problems.Invalid($"Give 1 to {CatalogueRules.MaxSearchTags} tags as ?tag=a&tag=b; a dataset matches when it has all of them.");
        }

        var tags = new List<string>(tag.Length);
        for (var i = 0; i < tag.Length; i++)
        {
            if (CatalogueRules.Tag(tag[i]) is not { } normalized)
            {
                return Problems.Invalid($"tag[{i}] must be 1 to {CatalogueRules.MaxTagLength} characters without control characters.");
            }

            tags.Add(normalized);
        }

        var liveSince = time.GetUtcNow() - options.Value.LivenessWindow;
        var take = Math.Clamp(limit ?? 50, 1, 100);

        // Each tag adds one parameterized EXISTS: tags are compared as values, never spliced into SQL.
        var matching = db.Datasets.AsNoTracking();
        foreach (var t in tags.Distinct(StringComparer.Ordinal))
        {
            matching = matching.Where(d => db.Tags.Any(x => x.DomainId == d.DomainId && x.DatasetId == d.DatasetId && x.Tag == t));
        }

        var domains = await db.Domains.AsNoTracking()
            .Where(x => x.LastSeen >= liveSince && matching.Any(d => d.DomainId == x.Id))
            .OrderByDescending(x => x.LastSeen).ThenBy(x => x.Id).Take(take)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = domains.Select(x => x.Id).ToList();
        var datasets = await matching.Where(d => ids.Contains(d.DomainId)).OrderBy(d => d.DatasetId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var byDomain = datasets.ToLookup(d => d.DomainId, StringComparer.Ordinal);
        var results = domains.Select(x => new NetworkSearchResult(x.Id, x.Name, x.Url, x.LastSeen,
            byDomain[x.Id].Select(d => new NetworkDatasetEntry(d.DatasetId, d.Name, d.Description, ReadTags(d.TagsJson))).ToList())).ToList();
        return Results.Ok(results);
    }

    private static void AddCatalogue(GatewayDbContext db, string domainId, IReadOnlyList<NetworkDatasetEntry> catalogue)
    {
        foreach (var entry in catalogue)
        {
            db.Datasets.Add(new CatalogueDatasetRecord
            {
                DomainId = domainId,
                DatasetId = entry.Id,
                Name = entry.Name,
                Description = entry.Description,
                TagsJson = JsonSerializer.Serialize(entry.Tags),
            });
            foreach (var tag in entry.Tags)
            {
                db.Tags.Add(new CatalogueTagRecord { DomainId = domainId, DatasetId = entry.Id, Tag = tag });
            }
        }
    }

    private static List<string> ReadTags(string json) => JsonSerializer.Deserialize<List<string>>(json) ?? [];

    private static string? BearerSecret(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || header.Length > 200)
        {
            return null;
        }

        var secret = header["Bearer ".Length..].Trim();
        return secret.Length == 0 ? null : secret;
    }

    private static bool SecretMatches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Convert.FromHexString(Ids.Hash(secret)), Convert.FromHexString(storedHash));
}
