using Scalar.AspNetCore;

namespace Pagebox.Server.Hosting;

/// <summary>
/// The API described: two OpenAPI documents built from the endpoints themselves (Microsoft.AspNetCore.OpenApi), the
/// world face (<c>/_pagebox/openapi/world.json</c>) and the Graph surface Pagebox implements
/// (<c>/_pagebox/openapi/graph.json</c>, unversioned paths: every one also answers under <c>/vX.Y/</c>), and a
/// browsable
/// reference of both (Scalar) at <c>/_pagebox/docs</c>. No key is needed to read them: they describe, they hold no
/// data.
/// </summary>
internal static class ApiDocs
{
    public const string DocsPath = "/_pagebox/docs";
    public const string DocumentPattern = "/_pagebox/openapi/{documentName}.json";

    public static void Add(IServiceCollection services)
    {
        services.AddOpenApi(
            "world",
            o =>
            {
                o.ShouldInclude = d => IsWorld(d.RelativePath);
                o.AddDocumentTransformer(
                    (doc, _, _) =>
                    {
                        doc.Info.Title = "Pagebox world face";
                        doc.Info.Version = "1";
                        doc.Info.Description =
                            "Pagebox's own API under /_pagebox/: apps, Pages, persons and what they do, clocks, "
                            + "faults, deliveries, the journal, "
                            + "state export and import. Every call but health, metrics and these docs carries "
                            + "Authorization: Bearer ADMIN-KEY. "
                            + "Errors: {\"error\":{\"message\",\"type\":\"PageboxError\",\"code\"}} with HTTP "
                            + "400/401/404/409.";
                        return Task.CompletedTask;
                    }
                );
            }
        );
        services.AddOpenApi(
            "graph",
            o =>
            {
                o.ShouldInclude = d => IsGraph(d.RelativePath);
                o.AddDocumentTransformer(
                    (doc, _, _) =>
                    {
                        doc.Info.Title = "Pagebox Graph face (Messenger Platform)";
                        doc.Info.Version = "v24.0";
                        doc.Info.Description =
                            "The part of Meta's Graph API Pagebox implements: the Send API, Marketing Messages, "
                            + "subscriptions, personas, the "
                            + "Conversations API, handover, the Marketing Messages API for Messenger (act_ paths), "
                            + "the Batch API. Each path answers with or "
                            + "without a version prefix (/v2.6/ … /v25.0/). The token goes in access_token (query, "
                            + "form, JSON) or Authorization: Bearer; errors "
                            + "are Graph's envelope "
                            + "{\"error\":{\"message\",\"type\",\"code\",\"error_subcode\",\"fbtrace_id\"}}.";
                        return Task.CompletedTask;
                    }
                );
            }
        );
    }

    /// <summary>The world face, without the inbox page's files, these docs and the catch-all.</summary>
    internal static bool IsWorld(string? path) =>
        path is not null
        && path.StartsWith("_pagebox/", StringComparison.Ordinal)
        && !path.Contains("{*", StringComparison.Ordinal)
        && !path.StartsWith("_pagebox/ui/", StringComparison.Ordinal)
        && !path.StartsWith("_pagebox/openapi/", StringComparison.Ordinal)
        && !path.StartsWith("_pagebox/docs", StringComparison.Ordinal);

    /// <summary>The Graph face once (the unversioned routes), without the catch-all.</summary>
    internal static bool IsGraph(string? path) =>
        path is not null
        && !path.StartsWith("_pagebox", StringComparison.Ordinal)
        && !path.StartsWith("{version", StringComparison.Ordinal)
        && !path.Contains("{*", StringComparison.Ordinal);

    public static void Map(WebApplication app)
    {
        app.MapOpenApi(DocumentPattern);
        app.MapScalarApiReference(
            DocsPath,
            o =>
            {
                o.WithTitle("Pagebox API");
                o.WithOpenApiRoutePattern(DocumentPattern);
                o.AddDocument("world", "World face (/_pagebox)");
                o.AddDocument("graph", "Graph face (Messenger Platform)");
            }
        );
    }
}
