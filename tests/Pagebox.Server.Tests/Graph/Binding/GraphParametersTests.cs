using System.Text;
using System.Text.Json;
using Pagebox.Domain.Errors;

namespace Pagebox.Server.Tests.Graph.Binding;

public sealed class GraphParametersTests
{
    // :: Encodings (spec §1.4)

    [Fact]
    public async Task ReadAsync_JsonBody_KeepsNestedObjects()
    {
        var p = await TestRequests.BindAsync(
            TestRequests.Json(
                """{"recipient":{"id":"123"},"messaging_type":"RESPONSE","message":{"text":"hello, world"}}"""
            )
        );

        Assert.True(p.TryGetObject("recipient", out var recipient, out _));
        Assert.Equal("123", recipient.GetProperty("id").GetString());
        Assert.True(p.TryGetObject("message", out var message, out _));
        Assert.Equal("hello, world", message.GetProperty("text").GetString());
        Assert.True(p.TryGetString("messaging_type", out var type, out _));
        Assert.Equal("RESPONSE", type);
        Assert.Equal(["message", "messaging_type", "recipient"], p.Names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_JsonBodyWithCharsetAndBom_Parses()
    {
        var body = Encoding
            .UTF8.GetPreamble()
            .Concat(Encoding.UTF8.GetBytes("""{"message":{"text":"héllo 👋"}}"""))
            .ToArray();
        var p = await TestRequests.BindAsync(
            TestRequests.Create(contentType: "application/json; charset=UTF-8", body: body)
        );

        Assert.True(p.TryGetObject("message", out var message, out _));
        Assert.Equal("héllo 👋", message.GetProperty("text").GetString());
    }

    [Fact]
    public async Task ReadAsync_FormBodyWithJsonStrings_ParsesRecipientObject()
    {
        var form =
            "recipient="
            + Uri.EscapeDataString("""{"id":"123"}""")
            + "&message="
            + Uri.EscapeDataString("""{"text":"hello, world"}""")
            + "&messaging_type=RESPONSE";
        var p = await TestRequests.BindAsync(TestRequests.Form(form));

        Assert.True(p.TryGetObject("recipient", out var recipient, out _));
        Assert.Equal("123", recipient.GetProperty("id").GetString());
        Assert.True(p.TryGetObject("message", out var message, out _));
        Assert.Equal("hello, world", message.GetProperty("text").GetString());
    }

    [Fact]
    public async Task ReadAsync_FormBodyWithSingleQuotedJson_ParsesRecipientObject()
    {
        // Byte for byte what Meta's sample sends: curl -d "recipient={'id':'123'}" -d "message={'text':'hello, world'}"
        // ...
        var p = await TestRequests.BindAsync(
            TestRequests.Form(
                "recipient={'id':'123'}&messaging_type=RESPONSE&message={'text':'hello, world',}",
                query: "?access_token=PAGE-TOKEN"
            )
        );

        Assert.True(p.TryGetObject("recipient", out var recipient, out _));
        Assert.Equal("123", recipient.GetProperty("id").GetString());
        Assert.True(p.TryGetObject("message", out var message, out _));
        Assert.Equal("hello, world", message.GetProperty("text").GetString());
        Assert.Equal("PAGE-TOKEN", p.AccessToken);
        Assert.Equal("""{"text":"hello, world"}""", p.GetRawJson("message"));
    }

    [Fact]
    public async Task ReadAsync_AllParametersInQueryString_BindsWithoutBody()
    {
        var query =
            "?recipient="
            + Uri.EscapeDataString("{'id':'123'}")
            + "&message="
            + Uri.EscapeDataString("""{"text":"hi"}""")
            + "&access_token=T&appsecret_proof=abc";
        var p = await TestRequests.BindAsync(TestRequests.Create(query: query));

        Assert.True(p.TryGetObject("recipient", out var recipient, out _));
        Assert.Equal("123", recipient.GetProperty("id").GetString());
        Assert.True(p.TryGetObject("message", out _, out _));
        Assert.Equal("T", p.AccessToken);
        Assert.Equal("abc", p.AppSecretProof);
    }

    [Fact]
    public async Task ReadAsync_MultipartWithFiledata_BindsFieldsAndFile()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 1, 2 };
        var request = TestRequests.Multipart(
            "----pagebox",
            ("recipient", null, null, Encoding.UTF8.GetBytes("{'id':'123'}")),
            (
                "message",
                null,
                null,
                Encoding.UTF8.GetBytes("""{"attachment":{"type":"image","payload":{"is_reusable":true}}}""")
            ),
            ("access_token", null, null, Encoding.UTF8.GetBytes("T")),
            ("filedata", "shirt.png", "image/png", png)
        );
        var p = await TestRequests.BindAsync(request);

        Assert.True(p.TryGetObject("recipient", out _, out _));
        Assert.True(p.TryGetObject("message", out var message, out _));
        Assert.True(message.GetProperty("attachment").GetProperty("payload").GetProperty("is_reusable").GetBoolean());
        Assert.Equal("T", p.AccessToken);
        Assert.False(p.Has("filedata"));
        var file = p.GetFile("filedata");
        Assert.NotNull(file);
        Assert.Equal("shirt.png", file.FileName);
        Assert.Equal("image/png", file.ContentType);
        using var copy = new MemoryStream();
        await file.CopyToAsync(copy, TestContext.Current.CancellationToken);
        Assert.Equal(png, copy.ToArray());
        Assert.Same(file, request.Form.Files["filedata"]);
    }

    [Fact]
    public async Task ReadAsync_BracketKeys_AssembleObjectsAndArrays()
    {
        var p = await TestRequests.BindAsync(
            TestRequests.Form(
                "recipient[id]=123&message[text]=hi"
                    + "&message[quick_replies][0][content_type]=text&message[quick_replies][0][title]=Red"
                    + "&message[quick_replies][1][title]=Green&fields[]=a&fields[]=b",
                query: "?subscribed_fields[0]=messages&subscribed_fields[1]=message_echoes"
            )
        );

        Assert.True(p.TryGetObject("recipient", out var recipient, out _));
        Assert.Equal("123", recipient.GetProperty("id").GetString());
        Assert.True(p.TryGetObject("message", out var message, out _));
        Assert.Equal("hi", message.GetProperty("text").GetString());
        var replies = message.GetProperty("quick_replies");
        Assert.Equal(JsonValueKind.Array, replies.ValueKind);
        Assert.Equal("Red", replies[0].GetProperty("title").GetString());
        Assert.Equal("Green", replies[1].GetProperty("title").GetString());
        Assert.True(p.TryGetStringList("fields", out var fields, out _));
        Assert.Equal(["a", "b"], fields);
        Assert.True(p.TryGetStringList("subscribed_fields", out var subscribed, out _));
        Assert.Equal(["messages", "message_echoes"], subscribed);
        Assert.Equal("""{"id":"123"}""", p.GetRawJson("recipient"));
    }

    [Theory]
    [InlineData("a[b=1", "a[b")]
    [InlineData("[a]=1", "[a]")]
    [InlineData("a[b]c=1", "a[b]c")]
    [InlineData("a]=1", "a]")]
    public async Task ReadAsync_MalformedBracketKey_KeptLiterally(string form, string expectedName)
    {
        var p = await TestRequests.BindAsync(TestRequests.Form(form));

        Assert.True(p.TryGetString(expectedName, out var value, out _));
        Assert.Equal("1", value);
    }

    [Fact]
    public async Task ReadAsync_BracketIndexesWithGaps_BecomeOrderedArray()
    {
        var p = await TestRequests.BindAsync(TestRequests.Form("l[10]=c&l[2]=b&l[0]=a&l[]=d"));

        Assert.True(p.TryGetStringList("l", out var list, out _));
        Assert.Equal(["a", "b", "c", "d"], list);
    }

    [Fact]
    public async Task ReadAsync_RepeatedPlainKey_LastValueWins()
    {
        var p = await TestRequests.BindAsync(TestRequests.Form("tag=A&tag=B"));

        Assert.True(p.TryGetString("tag", out var tag, out _));
        Assert.Equal("B", tag);
    }

    [Fact]
    public async Task ReadAsync_ParameterInQueryAndBody_BodyWins()
    {
        var p = await TestRequests.BindAsync(
            TestRequests.Form("messaging_type=UPDATE", query: "?messaging_type=RESPONSE&tag=X")
        );

        Assert.True(p.TryGetString("messaging_type", out var type, out _));
        Assert.Equal("UPDATE", type);
        Assert.True(p.Has("tag"));
    }

    [Fact]
    public async Task ReadAsync_JsonBodyLabelledAsForm_ParsedAsJson()
    {
        // `curl -d '{"recipient":...}'` without -H sends application/x-www-form-urlencoded.
        var p = await TestRequests.BindAsync(
            TestRequests.Form("""{"recipient":{"id":"123"},"message":{"text":"a=b&c"}}""")
        );

        Assert.True(p.TryGetObject("message", out var message, out _));
        Assert.Equal("a=b&c", message.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/octet-stream")]
    [InlineData("not a media type")]
    public async Task ReadAsync_JsonObjectWithoutJsonContentType_SniffedAsJson(string? contentType)
    {
        var p = await TestRequests.BindAsync(
            TestRequests.Create(contentType: contentType, body: Encoding.UTF8.GetBytes(""" {"recipient":{"id":1}}"""))
        );

        Assert.True(p.TryGetObject("recipient", out var recipient, out _));
        Assert.Equal(1, recipient.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task ReadAsync_AfterReading_BodyIsRewoundForRereading()
    {
        const string json = """{"recipient":{"id":"1"}}""";
        var request = TestRequests.Json(json);
        await TestRequests.BindAsync(request);

        using var reader = new StreamReader(request.Body);
        Assert.Equal(json, await reader.ReadToEndAsync(TestContext.Current.CancellationToken));
    }

    // :: Credentials (spec §1.2, §1.3)

    [Fact]
    public async Task ReadAsync_TokenEverywhere_HeaderWins()
    {
        var request = TestRequests.Create(
            query: "?access_token=QUERY",
            contentType: "application/json",
            body: Encoding.UTF8.GetBytes("""{"access_token":"BODY"}"""),
            authorization: "Bearer HEADER"
        );

        Assert.Equal("HEADER", (await TestRequests.BindAsync(request)).AccessToken);
    }

    [Fact]
    public async Task ReadAsync_TokenInBodyAndQuery_BodyWins()
    {
        var p = await TestRequests.BindAsync(
            TestRequests.Form(
                "access_token=BODY&appsecret_proof=P-BODY",
                query: "?access_token=QUERY&appsecret_proof=P-QUERY"
            )
        );

        Assert.Equal("BODY", p.AccessToken);
        Assert.Equal("P-BODY", p.AppSecretProof);
    }

    [Fact]
    public async Task ReadAsync_BlankBodyToken_FallsBackToQuery()
    {
        var p = await TestRequests.BindAsync(TestRequests.Form("access_token=", query: "?access_token=QUERY"));

        Assert.Equal("QUERY", p.AccessToken);
    }

    [Theory]
    [InlineData("Bearer abc", "abc")]
    [InlineData("bearer  abc ", "abc")]
    [InlineData("OAuth abc", "abc")]
    [InlineData("Basic dXNlcjpwYXNz", "QUERY")]
    [InlineData("Bearer", "QUERY")]
    [InlineData("", "QUERY")]
    public async Task ReadAsync_AuthorizationHeader_AcceptsBearerAndOAuth(string header, string expected)
    {
        var p = await TestRequests.BindAsync(TestRequests.Create(query: "?access_token=QUERY", authorization: header));

        Assert.Equal(expected, p.AccessToken);
    }

    [Fact]
    public async Task ReadAsync_NoToken_AccessTokenIsNull()
    {
        var p = await TestRequests.BindAsync(TestRequests.Create());

        Assert.Null(p.AccessToken);
        Assert.Null(p.AppSecretProof);
        Assert.Empty(p.Names);
    }

    // :: Limits and malformed bodies

    [Fact]
    public async Task ReadAsync_ContentLengthOverLimit_ReturnsBodyTooLarge()
    {
        var request = TestRequests.Json("""{"a":"b"}""");
        request.ContentLength = 10_000;

        var result = await TestRequests.ReadAsync(request, maxBodyBytes: 100);

        Assert.False(result.Succeeded);
        Assert.Equal(DomainErrorKind.BodyTooLarge, result.Error.Kind);
    }

    [Fact]
    public async Task ReadAsync_ChunkedBodyOverLimit_ReturnsBodyTooLarge()
    {
        var json = "{\"a\":\"" + new string('x', 100_000) + "\"}";
        var request = TestRequests.Create(
            contentType: "application/json",
            body: Encoding.UTF8.GetBytes(json),
            declareLength: false
        );

        var result = await TestRequests.ReadAsync(request, maxBodyBytes: 50_000);

        Assert.False(result.Succeeded);
        Assert.Equal(DomainErrorKind.BodyTooLarge, result.Error.Kind);
    }

    [Fact]
    public async Task ReadAsync_BodyExactlyAtLimit_Succeeds()
    {
        var body = Encoding.UTF8.GetBytes("""{"a":"b"}""");

        var result = await TestRequests.ReadAsync(
            TestRequests.Create(contentType: "application/json", body: body, declareLength: false),
            body.Length
        );

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("""{"recipient":{"id":"1"}""")]
    [InlineData("""{"recipient":}""")]
    [InlineData("recipient=1")]
    [InlineData("{'unterminated}")]
    public async Task ReadAsync_MalformedJson_ReturnsMalformedBody(string json)
    {
        var result = await TestRequests.ReadAsync(TestRequests.Json(json));

        Assert.False(result.Succeeded);
        Assert.Equal(DomainErrorKind.MalformedBody, result.Error.Kind);
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Detail));
    }

    [Theory]
    [InlineData("[1,2]", "array")]
    [InlineData("\"text\"", "string")]
    [InlineData("42", "number")]
    [InlineData("true", "boolean")]
    [InlineData("null", "null")]
    public async Task ReadAsync_JsonBodyNotAnObject_ReturnsMalformedBodyNamingObject(string json, string kind)
    {
        var result = await TestRequests.ReadAsync(TestRequests.Json(json));

        Assert.False(result.Succeeded);
        Assert.Equal(DomainErrorKind.MalformedBody, result.Error.Kind);
        Assert.Contains("must be an object", result.Error.Detail, StringComparison.Ordinal);
        Assert.Contains(kind, result.Error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_DeeplyNestedJson_ReturnsMalformedBody()
    {
        var json =
            "{\"a\":"
            + string.Concat(Enumerable.Repeat("[", 10_000))
            + string.Concat(Enumerable.Repeat("]", 10_000))
            + "}";

        var result = await TestRequests.ReadAsync(TestRequests.Json(json));

        Assert.Equal(DomainErrorKind.MalformedBody, result.Error?.Kind);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8Json_ReturnsMalformedBody()
    {
        byte[] body = [.. "{\"a\":\""u8, 0xC3, 0x28, 0xFF, .. "\"}"u8];

        var result = await TestRequests.ReadAsync(TestRequests.Create(contentType: "application/json", body: body));

        Assert.Equal(DomainErrorKind.MalformedBody, result.Error?.Kind);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8AndPercentEncodingInForm_BindsWithoutThrowing()
    {
        byte[] body = [.. "a=%ZZ%&b=%C3%28&c="u8, 0xFF, 0xFE, .. "&d=%"u8];

        var p = await TestRequests.BindAsync(
            TestRequests.Create(contentType: "application/x-www-form-urlencoded; charset=utf-8", body: body)
        );

        Assert.True(p.TryGetString("a", out var a, out _));
        Assert.Equal("%ZZ%", a);
        Assert.True(p.Has("b"));
        Assert.True(p.Has("c"));
    }

    [Fact]
    public async Task ReadAsync_DeepBracketKey_BindsWithoutThrowing()
    {
        var key = "a" + string.Concat(Enumerable.Repeat("[x]", 200));

        var p = await TestRequests.BindAsync(TestRequests.Form(key + "=1&b[x][y]=2"));

        Assert.True(p.TryGetString(key, out _, out _));
        Assert.True(p.TryGetObject("b", out _, out _));
    }

    [Fact]
    public async Task ReadAsync_DuplicateJsonMembers_LastWins()
    {
        var p = await TestRequests.BindAsync(TestRequests.Json("""{"tag":"A","tag":"B"}"""));

        Assert.True(p.TryGetString("tag", out var tag, out _));
        Assert.Equal("B", tag);
    }

    [Theory]
    [InlineData("""{"a":"\ud800"}""")]
    [InlineData("""{"b":{"c":"x\udc00"}}""")]
    [InlineData("""{"\ud800":1}""")]
    [InlineData("""{'a':'\ud800'}""")]
    public async Task ReadAsync_EscapedUnpairedSurrogateInJson_ReturnsMalformedBody(string json)
    {
        // PHP's json_decode rejects these; System.Text.Json would only throw later, on GetString.
        var result = await TestRequests.ReadAsync(TestRequests.Json(json));

        Assert.Equal(DomainErrorKind.MalformedBody, result.Error?.Kind);
    }

    [Fact]
    public async Task ReadAsync_EscapedUnpairedSurrogateInFormJson_ReturnsInvalidParameter()
    {
        var p = await TestRequests.BindAsync(
            TestRequests.Form("recipient=" + Uri.EscapeDataString("{'id':'\\ud800'}"))
        );

        Assert.False(p.TryGetObject("recipient", out _, out var error));
        Assert.Equal(DomainErrorKind.InvalidParameter, error?.Kind);
        Assert.Equal("\"{'id':'\\\\ud800'}\"", p.GetRawJson("recipient"));
    }

    [Fact]
    public async Task ReadAsync_JsonNullMember_TreatedAsAbsent()
    {
        var p = await TestRequests.BindAsync(
            TestRequests.Json("""{"message":{"text":"hi"},"sender_action":null}""", "application/json")
        );

        Assert.False(p.Has("sender_action"));
        Assert.False(p.TryGetString("sender_action", out _, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("GET", "application/json", "{}")]
    [InlineData("GET", "application/json", "")]
    [InlineData("POST", "application/json", "")]
    [InlineData("POST", "application/json; charset=utf-8", "  \r\n ")]
    [InlineData("DELETE", null, "")]
    [InlineData("POST", "text/plain", "hello")]
    [InlineData("POST", "multipart/form-data; boundary=x", "")]
    public async Task ReadAsync_EmptyOrIgnorableBody_Succeeds(string method, string? contentType, string body)
    {
        var result = await TestRequests.ReadAsync(
            TestRequests.Create(
                method: method,
                query: "?fields=id",
                contentType: contentType,
                body: Encoding.UTF8.GetBytes(body)
            )
        );

        Assert.True(result.Succeeded);
        Assert.True(result.Parameters.Has("fields"));
    }

    [Theory]
    [InlineData("multipart/form-data", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--")]
    [InlineData("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1")]
    [InlineData("multipart/form-data; boundary=x", "garbage")]
    public async Task ReadAsync_BrokenMultipart_ReturnsMalformedBody(string contentType, string body)
    {
        var result = await TestRequests.ReadAsync(
            TestRequests.Create(contentType: contentType, body: Encoding.UTF8.GetBytes(body))
        );

        Assert.Equal(DomainErrorKind.MalformedBody, result.Error?.Kind);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=b")]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task ReadAsync_RandomBodies_NeverThrow(string? contentType)
    {
        var random = new Random(20240601);
        string[] fragments =
        [
            "{",
            "}",
            "[",
            "]",
            "'",
            "\"",
            ",",
            ":",
            "=",
            "&",
            "%",
            "%2",
            "[]",
            "[0]",
            "\\",
            "--b",
            "\r\n",
            "Content-Disposition: form-data; name=\"a\"",
            "filename=\"f\"",
            "a",
            "1",
            "null",
            " ",
        ];
        for (var i = 0; i < 300; i++)
        {
            byte[] body;
            if (i % 2 == 0)
            {
                body = new byte[random.Next(0, 200)];
                random.NextBytes(body);
            }
            else
            {
                var sb = new StringBuilder();
                for (var j = random.Next(0, 40); j > 0; j--)
                {
                    sb.Append(fragments[random.Next(fragments.Length)]);
                }

                body = Encoding.UTF8.GetBytes(sb.ToString());
            }

            var result = await TestRequests.ReadAsync(
                TestRequests.Create(contentType: contentType, body: body, declareLength: i % 3 != 0)
            );

            Assert.True(
                result.Succeeded || result.Error.Kind == DomainErrorKind.MalformedBody,
                result.Error?.ToString()
            );
            if (result.Succeeded)
            {
                foreach (var name in result.Parameters.Names.ToList())
                {
                    result.Parameters.TryGetString(name, out _, out _);
                    result.Parameters.TryGetObject(name, out _, out _);
                    result.Parameters.TryGetStringList(name, out _, out _);
                    result.Parameters.TryGetInt(name, out _, out _);
                    result.Parameters.TryGetBool(name, out _, out _);
                    result.Parameters.GetRawJson(name);
                }
            }
        }
    }
}
