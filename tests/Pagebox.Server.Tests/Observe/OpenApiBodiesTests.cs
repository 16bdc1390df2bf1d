using System.Net;
using System.Text.Json;

namespace Pagebox.Server.Tests.Observe;

/// <summary>
/// The OpenAPI documents as served (/_pagebox/openapi/*.json), parsed: request and response bodies of representative
/// operations of both faces, and the error envelope every operation answers with.
/// </summary>
public sealed class OpenApiBodiesTests(PageboxServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> DocumentAsync(string name)
    {
        using var response = await server.Http.GetAsync(new Uri($"_pagebox/openapi/{name}.json", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return doc.RootElement.Clone();
    }

    /// <summary>A schema with its <c>$ref</c> followed into the document's components.</summary>
    private static JsonElement Resolve(JsonElement doc, JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            schema = doc.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }
        return schema;
    }

    private static JsonElement Operation(JsonElement doc, string path, string method)
    {
        Assert.True(doc.GetProperty("paths").TryGetProperty(path, out var item), $"{path} is in the document");
        Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path} is in the document");
        return operation;
    }

    private static JsonElement RequestSchema(JsonElement doc, JsonElement operation) =>
        Resolve(
            doc,
            operation
                .GetProperty("requestBody")
                .GetProperty("content")
                .GetProperty("application/json")
                .GetProperty("schema")
        );

    private static JsonElement ResponseSchema(JsonElement doc, JsonElement operation, string status) =>
        Resolve(
            doc,
            operation
                .GetProperty("responses")
                .GetProperty(status)
                .GetProperty("content")
                .GetProperty("application/json")
                .GetProperty("schema")
        );

    private static HashSet<string> Properties(JsonElement doc, JsonElement schema) =>
        [.. Resolve(doc, schema).GetProperty("properties").EnumerateObject().Select(p => p.Name)];

    [Fact]
    public async Task GraphDocument_SendApi_HasTheRequestBodyAndTheAnswer()
    {
        var doc = await DocumentAsync("graph");
        var send = Operation(doc, "/{id}/messages", "post");

        var request = RequestSchema(doc, send);
        var fields = Properties(doc, request);
        Assert.Contains("recipient", fields);
        Assert.Contains("message", fields);
        Assert.Contains("messaging_type", fields);
        Assert.Contains("sender_action", fields);
        var recipient = Properties(doc, request.GetProperty("properties").GetProperty("recipient"));
        Assert.Contains("id", recipient);
        Assert.Contains("notification_messages_token", recipient);
        var message = Properties(doc, request.GetProperty("properties").GetProperty("message"));
        Assert.Contains("text", message);
        Assert.Contains("attachment", message);
        Assert.Contains("quick_replies", message);

        var answer = Properties(doc, ResponseSchema(doc, send, "200"));
        Assert.Contains("recipient_id", answer);
        Assert.Contains("message_id", answer);
    }

    [Fact]
    public async Task GraphDocument_PaidSendAndTokenList_HaveTheirShapes()
    {
        var doc = await DocumentAsync("graph");

        var paid = Operation(doc, "/act_{account}/messages", "post");
        Assert.Contains("message_id", Properties(doc, RequestSchema(doc, paid)));
        Assert.Contains("marketing_message_tracking_id", Properties(doc, ResponseSchema(doc, paid, "200")));
        var tokens = ResponseSchema(doc, Operation(doc, "/{id}/notification_message_tokens", "get"), "200");
        var item = Resolve(doc, tokens.GetProperty("properties").GetProperty("data").GetProperty("items"));
        Assert.Contains("notification_messages_token", Properties(doc, item));
    }

    [Fact]
    public async Task BothDocuments_EveryOperation_AnswersErrorsWithTheEnvelope()
    {
        foreach (var name in new[] { "graph", "world" })
        {
            var doc = await DocumentAsync(name);
            foreach (var path in doc.GetProperty("paths").EnumerateObject())
            {
                foreach (var operation in path.Value.EnumerateObject())
                {
                    var envelope = ResponseSchema(doc, operation.Value, "default");
                    var error = Resolve(doc, envelope.GetProperty("properties").GetProperty("error"));
                    var fields = Properties(doc, error);
                    Assert.True(
                        fields.IsSupersetOf(["message", "type", "code", "error_subcode", "fbtrace_id"]),
                        $"{name}: {operation.Name} {path.Name} has the error envelope"
                    );
                }
            }
        }
    }

    [Fact]
    public async Task WorldDocument_PersonWrites_HasTheRequestAndTheAnswer()
    {
        var doc = await DocumentAsync("world");
        var write = Operation(doc, "/_pagebox/persons/{person}/messages", "post");

        var request = Properties(doc, RequestSchema(doc, write));
        Assert.Contains("page_id", request);
        Assert.Contains("text", request);
        Assert.Contains("quick_reply_payload", request);
        var answer = Properties(doc, ResponseSchema(doc, write, "201"));
        Assert.Contains("psid", answer);
        Assert.Contains("mid", answer);

        var app = Operation(doc, "/_pagebox/apps", "post");
        Assert.Contains("name", Properties(doc, RequestSchema(doc, app)));
        Assert.Contains("secret", Properties(doc, ResponseSchema(doc, app, "201")));
        var journal = ResponseSchema(doc, Operation(doc, "/_pagebox/apps/{app}/journal", "get"), "200");
        Assert.Contains("status", Properties(doc, journal.GetProperty("items")));
    }
}
