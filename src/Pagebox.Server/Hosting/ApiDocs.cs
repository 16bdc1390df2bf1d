using Scalar.AspNetCore;

namespace Pagebox.Server.Hosting;

/// <summary>
/// The API described: two OpenAPI documents built from the endpoints themselves (Microsoft.AspNetCore.OpenApi), the
/// world face (<c>/_pagebox/openapi/world.json</c>) and the Graph surface Pagebox implements
/// (<c>/_pagebox/openapi/graph.json</c>, unversioned paths: every one also answers under <c>/vX.Y/</c>), and a
/// browsable reference of both (Scalar) at <c>/_pagebox/docs</c>. No key is needed to read them: they describe, they
/// hold no data.
/// </summary>
internal static partial class ApiDocs
{
    public const string DocsPath = "/_pagebox/docs";
    public const string DocumentPattern = "/_pagebox/openapi/{documentName}.json";

    public static void Add(IServiceCollection services)
    {
        // The documents' schemas come from the same source-generated metadata the wire uses (snake_case names),
        // never from reflection; the Graph request shapes have a context of their own (ApiDocs.Bodies.cs).
        services.ConfigureHttpJsonOptions(o =>
        {
            var chain = o.SerializerOptions.TypeInfoResolverChain;
            chain.Insert(0, ApiDocsJson.Default);
            chain.Insert(0, Contracts.CampaignJson.Wire);
            chain.Insert(0, Contracts.PersonActionsJsonContext.Wire);
            chain.Insert(0, Contracts.UiJsonContext.Wire);
        });
        AddDocument(
            services,
            "world",
            IsWorld,
            WorldBodies,
            "Pagebox world face",
            "1",
            "Pagebox's own API under /_pagebox/: apps, Pages, persons and what they do, clocks, "
                + "faults, deliveries, the journal, "
                + "state export and import. Every call but health, metrics and these docs carries "
                + "Authorization: Bearer ADMIN-KEY. "
                + "Errors: {\"error\":{\"message\",\"type\":\"PageboxError\",\"code\"}} with HTTP "
                + "400/401/404/409."
        );
        AddDocument(
            services,
            "graph",
            IsGraph,
            GraphBodies,
            "Pagebox Graph face (Messenger Platform)",
            "v24.0",
            "The part of Meta's Graph API Pagebox implements: the Send API, Marketing Messages, "
                + "subscriptions, personas, the "
                + "Conversations API, handover, the Marketing Messages API for Messenger (act_ paths), "
                + "the Batch API. Each path answers with or "
                + "without a version prefix (/v2.6/ … /v25.0/). The token goes in access_token (query, "
                + "form, JSON) or Authorization: Bearer; errors "
                + "are Graph's envelope "
                + "{\"error\":{\"message\",\"type\",\"code\",\"error_subcode\",\"fbtrace_id\"}}."
        );
    }

    /// <summary>One OpenAPI document: the operations whose path <paramref name="include"/> accepts, their bodies
    /// from <paramref name="bodies"/>, snake_case schemas, and the document's title, version and description.</summary>
    private static void AddDocument(
        IServiceCollection services,
        string name,
        Func<string?, bool> include,
        Dictionary<string, Body> bodies,
        string title,
        string version,
        string description
    ) =>
        services.AddOpenApi(
            name,
            o =>
            {
                o.ShouldInclude = d => include(d.RelativePath);
                o.AddOperationTransformer((op, ctx, ct) => DescribeBodiesAsync(bodies, op, ctx, ct));
                o.AddSchemaTransformer(SnakeCase);
                o.AddDocumentTransformer(
                    (doc, _, _) =>
                    {
                        doc.Info.Title = title;
                        doc.Info.Version = version;
                        doc.Info.Description = description;
                        return Task.CompletedTask;
                    }
                );
            }
        );

    /// <summary>
    /// The wire's names: every body of both faces is snake_case (the source-generated contexts say so at compile
    /// time), but the schema generator names properties by the host's JSON options (camelCase), which no handler uses
    /// (each writes with its own context). Renamed here, for the documents only.
    /// </summary>
    private static Task SnakeCase(
        Microsoft.OpenApi.OpenApiSchema schema,
        Microsoft.AspNetCore.OpenApi.OpenApiSchemaTransformerContext context,
        CancellationToken cancellationToken
    )
    {
        if (schema.Properties is { Count: > 0 } properties)
        {
            var renamed = properties.ToDictionary(
                p => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Key),
                p => p.Value,
                StringComparer.Ordinal
            );
            properties.Clear();
            foreach (var (name, value) in renamed)
                properties[name] = value;
        }
        if (schema.Required is { Count: > 0 } required)
        {
            var names = required.Select(System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName).ToList();
            required.Clear();
            foreach (var name in names)
                required.Add(name);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Puts an operation's request and response bodies (the table in ApiDocs.Bodies.cs) and the error envelope into
    /// the document: every operation of both faces answers its errors with <see cref="Contracts.GraphErrorEnvelope"/>
    /// (Graph's, or the world face's with <c>type: PageboxError</c>).
    /// </summary>
    private static async Task DescribeBodiesAsync(
        Dictionary<string, Body> table,
        Microsoft.OpenApi.OpenApiOperation operation,
        Microsoft.AspNetCore.OpenApi.OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken
    )
    {
        var path = System.Text.RegularExpressions.Regex.Replace(
            context.Description.RelativePath ?? "",
            "\\{([^}:]+):[^}]+\\}",
            "{$1}"
        );
        operation.Responses ??= [];
        if (table.TryGetValue($"{context.Description.HttpMethod} {path}", out var body))
        {
            if (body.Request is { } request)
            {
                operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
                    {
                        ["application/json"] = new()
                        {
                            Schema = await context.GetOrCreateSchemaAsync(request, null, cancellationToken),
                        },
                    },
                };
            }
            operation.Responses.Remove("200");
            operation.Responses[body.Status] = new Microsoft.OpenApi.OpenApiResponse
            {
                Description = body.Status == "204" ? "Done, no body" : "The answer",
                Content = body.Response is { } response
                    ? new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
                    {
                        ["application/json"] = new()
                        {
                            Schema = await context.GetOrCreateSchemaAsync(response, null, cancellationToken),
                        },
                    }
                    : null,
            };
        }
        operation.Responses["default"] = new Microsoft.OpenApi.OpenApiResponse
        {
            Description = "An error: the envelope with code, subcode and a message naming the parameter",
            Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = await context.GetOrCreateSchemaAsync(
                        typeof(Contracts.GraphErrorEnvelope),
                        null,
                        cancellationToken
                    ),
                },
            },
        };
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
