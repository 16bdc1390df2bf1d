using System.Net;
using System.Net.Http.Headers;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Graph;

/// <summary>The Attachment Upload API (docs/spec/send-api.md §5) and sends that name a saved attachment by
/// <c>attachment_id</c>.</summary>
public sealed class AttachmentsApiTests(PageboxServer server)
{
    private const long MaxFileBytes = 25L * 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // A 1×1 transparent PNG.
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
    );

    private static object UrlMessage(string type = "image", string url = "https://example.com/shirt.png") =>
        new { attachment = new { type, payload = new { url, is_reusable = true } } };

    private static string AttachmentId(GraphResponse answer)
    {
        Assert.True(answer.Status == HttpStatusCode.OK, $"Expected HTTP 200, got {answer}");
        Assert.StartsWith("application/json", answer.ContentType, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["attachment_id"], GraphAssert.Names(answer.Body));
        var id = answer.Body.GetProperty("attachment_id").GetString()!;
        Assert.True(id.Length > 10 && id.All(char.IsAsciiDigit), id);
        return id;
    }

    private static Task<GraphResponse> UploadJsonAsync(
        Scenario s,
        object message,
        string path = "me/message_attachments"
    ) => s.Graph.PostAsync(path, new { message }, s.Page.AccessToken, cancellationToken: Ct);

    private static async Task<string> UploadUrlAsync(Scenario s) =>
        AttachmentId(await UploadJsonAsync(s, UrlMessage()));

    /// <summary>Multipart: <c>message</c> as a JSON string and a <c>filedata</c> part (curl's <c>-F</c>).</summary>
    private static Task<GraphResponse> UploadFileAsync(
        Scenario s,
        string type,
        HttpContent file,
        string? contentType,
        string fileName = "shirt.png"
    )
    {
        var form = new MultipartFormDataContent
        {
            {
                new StringContent($"{{\"attachment\":{{\"type\":\"{type}\",\"payload\":{{\"is_reusable\":true}}}}}}"),
                "message"
            },
        };
        file.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        form.Add(file, "filedata", fileName);
        return s.Graph.SendAsync(
            HttpMethod.Post,
            $"{s.Page.Id}/message_attachments",
            form,
            s.Page.AccessToken,
            cancellationToken: Ct
        );
    }

    private static Task<GraphResponse> SendAttachmentIdAsync(Scenario s, string psid, object attachmentId) =>
        s.SendAsync(
            new
            {
                recipient = new { id = psid },
                message = new { attachment = new { type = "image", payload = new { attachment_id = attachmentId } } },
            }
        );

    private static Task<GraphResponse> SendMediaTemplateAsync(Scenario s, string psid, string attachmentId) =>
        s.SendAsync(
            new
            {
                recipient = new { id = psid },
                message = new
                {
                    attachment = new
                    {
                        type = "template",
                        payload = new
                        {
                            template_type = "media",
                            elements = new[] { new { media_type = "image", attachment_id = attachmentId } },
                        },
                    },
                },
            }
        );

    private static void AssertInvalidAttachmentId(GraphResponse answer, string parameter)
    {
        var error = GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 100, 2018074);
        Assert.Contains(parameter, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    // :: Upload

    [Fact]
    public async Task Upload_UrlAsJson_AnswersOnlyANumericAttachmentId()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var byMe = await UploadJsonAsync(s, UrlMessage());
        var byPageId = await UploadJsonAsync(
            s,
            UrlMessage("video", "https://example.com/clip.mp4"),
            $"{s.Page.Id}/message_attachments"
        );

        Assert.NotEqual(AttachmentId(byMe), AttachmentId(byPageId));
    }

    [Fact]
    public async Task Upload_UrlAsFormStringInMetasSingleQuotedStyle_AnswersAnAttachmentId()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var form = new Dictionary<string, string>
        {
            ["message"] =
                "{'attachment':{'type':'file','payload':{'url':'https://example.com/manual.pdf','is_reusable':true}}}",
        };

        var answer = await s.Graph.PostFormAsync(
            "me/message_attachments",
            form,
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        AttachmentId(answer);
    }

    [Fact]
    public async Task Upload_MultipartPng_AnswersAnAttachmentIdThatSends()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("a picture please")).Psid;

        var id = AttachmentId(await UploadFileAsync(s, "image", new ByteArrayContent(Png), "image/png"));

        GraphAssert.Sent(await SendAttachmentIdAsync(s, psid, id), psid);
    }

    [Fact]
    public async Task Upload_MultipartOctetStreamNamedPng_TakesTheTypeFromTheFileName()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        AttachmentId(
            await UploadFileAsync(s, "image", new ByteArrayContent(Png), "application/octet-stream", "photo.png")
        );
    }

    [Fact]
    public async Task Upload_ImageDeclaredWithTextFile_Returns2018047()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await UploadFileAsync(
            s,
            "image",
            new ByteArrayContent("not a picture"u8.ToArray()),
            "text/plain",
            "notes.txt"
        );

        var error = GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 100, 2018047);
        Assert.StartsWith(
            "(#100) Upload attachment failure.",
            error.GetProperty("message").GetString(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Upload_FileTypeWithACsv_AcceptsAnyContentType()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        AttachmentId(
            await UploadFileAsync(s, "file", new ByteArrayContent("a,b\n1,2\n"u8.ToArray()), "text/csv", "table.csv")
        );
    }

    [Fact]
    public async Task Upload_FileOf25MBPlusOneByte_Returns2018109()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await UploadFileAsync(
            s,
            "video",
            new StreamContent(new ZeroStream(MaxFileBytes + 1)),
            "video/mp4",
            "clip.mp4"
        );

        GraphAssert.Error(
            answer,
            HttpStatusCode.BadRequest,
            "OAuthException",
            100,
            2018109,
            "(#100) Attachment size exceeds allowable limit"
        );
    }

    [Fact]
    public async Task Upload_FileOfExactly25MB_IsAccepted_WhileMessagesKeepsItsOneMegabyteLimit()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var upload = await UploadFileAsync(
            s,
            "video",
            new StreamContent(new ZeroStream(MaxFileBytes)),
            "video/mp4",
            "clip.mp4"
        );
        var send = await s.Graph.PostAsync(
            $"{s.Page.Id}/messages",
            new
            {
                recipient = new { id = "1" },
                message = new { text = "hi" },
                padding = new string('x', 2 * 1024 * 1024),
            },
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        AttachmentId(upload);
        var message = GraphAssert
            .Error(send, HttpStatusCode.BadRequest, "OAuthException", 100, null)
            .GetProperty("message")
            .GetString();
        Assert.Contains("exceeds the limit", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_BodyOverTheEndpointsLimit_Returns2018109()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await UploadFileAsync(
            s,
            "video",
            new StreamContent(new ZeroStream(MaxFileBytes + (2 * 1024 * 1024))),
            "video/mp4",
            "clip.mp4"
        );

        GraphAssert.Error(
            answer,
            HttpStatusCode.BadRequest,
            "OAuthException",
            100,
            2018109,
            "(#100) Attachment size exceeds allowable limit"
        );
    }

    [Theory]
    [InlineData(null, "message")]
    [InlineData("{\"text\":\"hi\"}", "message[attachment]")]
    [InlineData("{\"attachment\":{\"payload\":{\"url\":\"https://example.com/a.png\"}}}", "message[attachment][type]")]
    [InlineData(
        "{\"attachment\":{\"type\":\"template\",\"payload\":{\"url\":\"https://example.com/a.png\"}}}",
        "message[attachment][type]"
    )]
    [InlineData(
        "{\"attachment\":{\"type\":\"sticker\",\"payload\":{\"url\":\"https://example.com/a.png\"}}}",
        "message[attachment][type]"
    )]
    [InlineData("{\"attachment\":{\"type\":\"image\"}}", "message[attachment][payload]")]
    [InlineData(
        "{\"attachment\":{\"type\":\"image\",\"payload\":{\"is_reusable\":true}}}",
        "message[attachment][payload][url]"
    )]
    [InlineData(
        "{\"attachment\":{\"type\":\"image\",\"payload\":{\"url\":\"not a url\",\"is_reusable\":true}}}",
        "message[attachment][payload][url]"
    )]
    [InlineData(
        "{\"attachment\":{\"type\":\"image\",\"payload\":{\"url\":42,\"is_reusable\":true}}}",
        "message[attachment][payload][url]"
    )]
    [InlineData(
        "{\"attachment\":{\"type\":\"image\",\"payload\":{\"url\":\"https://example.com/a.png\","
            + "\"is_reusable\":\"yes\"}}}",
        "message[attachment][payload][is_reusable]"
    )]
    [InlineData("\"an image\"", "message")]
    public async Task Upload_BadOrMissingParameter_Returns100NamingIt(string? messageJson, string parameter)
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var body = messageJson is null ? "{}" : $"{{\"message\":{messageJson}}}";

        var answer = await s.Graph.PostAsync("me/message_attachments", body, s.Page.AccessToken, cancellationToken: Ct);

        GraphAssert.InvalidParameter(answer, parameter);
    }

    [Fact]
    public async Task Upload_UrlAndFile_Returns100NamingFiledata()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var form = new MultipartFormDataContent
        {
            {
                new StringContent(
                    "{\"attachment\":{\"type\":\"image\",\"payload\":{\"url\":\"https://example.com/a.png\","
                        + "\"is_reusable\":true}}}"
                ),
                "message"
            },
        };
        var file = new ByteArrayContent(Png);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "filedata", "a.png");

        var answer = await s.Graph.SendAsync(
            HttpMethod.Post,
            "me/message_attachments",
            form,
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        GraphAssert.InvalidParameter(answer, "filedata");
    }

    [Fact]
    public async Task Upload_WithAnAppToken_Returns100Subcode33()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var appToken = $"{s.App.Id}|{s.App.Secret}";

        var answer = await s.Graph.PostAsync(
            $"{s.Page.Id}/message_attachments",
            new { message = UrlMessage() },
            appToken,
            cancellationToken: Ct
        );

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "GraphMethodException", 100, 33);
    }

    // :: Reuse

    [Fact]
    public async Task Send_WithUploadedAttachmentId_IsAcceptedAndTheConversationShowsItAsSent()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("show me shirts")).Psid;
        var id = await UploadUrlAsync(s);

        var mid = GraphAssert.Sent(await SendAttachmentIdAsync(s, psid, id), psid);

        var last = (await s.ConversationAsync()).GetProperty("messages").EnumerateArray().Last();
        Assert.Equal(mid, last.GetProperty("mid").GetString());
        Assert.Equal("page", last.GetProperty("from").GetString());
        var attachment = last.GetProperty("message").GetProperty("attachment");
        Assert.Equal("image", attachment.GetProperty("type").GetString());
        Assert.Equal(id, attachment.GetProperty("payload").GetProperty("attachment_id").GetString());
    }

    [Fact]
    public async Task Send_AttachmentIdAsANumber_IsAccepted()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("show me shirts")).Psid;
        var id = await UploadUrlAsync(s);

        var answer = await s.Graph.PostAsync(
            $"{s.Page.Id}/messages",
            $"{{\"recipient\":{{\"id\":\""
                + $"{psid}\"}},\"message\":{{\"attachment\":{{\"type\":\"image\",\"payload\":{{\"attachment_id\":"
                + $"{id}}}}}}}}}",
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        GraphAssert.Sent(answer, psid);
    }

    [Fact]
    public async Task Send_AnotherPagesAttachmentId_Returns2018074()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await using var other = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("show me shirts")).Psid;
        var foreign = await UploadUrlAsync(other);

        AssertInvalidAttachmentId(
            await SendAttachmentIdAsync(s, psid, foreign),
            "message[attachment][payload][attachment_id]"
        );
    }

    [Fact]
    public async Task Send_UnknownAttachmentId_Returns2018074()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("show me shirts")).Psid;

        AssertInvalidAttachmentId(
            await SendAttachmentIdAsync(s, psid, "1234567890123456"),
            "message[attachment][payload][attachment_id]"
        );
    }

    [Fact]
    public async Task Send_AttachmentIdNotAString_Returns100NamingIt()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("show me shirts")).Psid;

        GraphAssert.InvalidParameter(
            await SendAttachmentIdAsync(s, psid, new { id = 1 }),
            "message[attachment][payload][attachment_id]"
        );
    }

    [Fact]
    public async Task Send_AttachmentIdAt90DaysMinus1s_IsAccepted_AndAt90Days_Returns2018074()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var id = await UploadUrlAsync(s);

        await s.AdvanceClockAsync(TimeSpan.FromDays(90) - TimeSpan.FromSeconds(1));
        var psid = (await s.PersonWritesAsync("still there?")).Psid;
        var justInTime = await SendAttachmentIdAsync(s, psid, id);
        await s.AdvanceClockAsync(TimeSpan.FromSeconds(1));
        var expired = await SendAttachmentIdAsync(s, psid, id);

        GraphAssert.Sent(justInTime, psid);
        AssertInvalidAttachmentId(expired, "message[attachment][payload][attachment_id]");
    }

    [Fact]
    public async Task Send_MediaTemplateWithAttachmentId_ChecksTheId()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await using var other = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("show me shirts")).Psid;
        var own = await UploadUrlAsync(s);
        var foreign = await UploadUrlAsync(other);

        GraphAssert.Sent(await SendMediaTemplateAsync(s, psid, own), psid);
        AssertInvalidAttachmentId(
            await SendMediaTemplateAsync(s, psid, foreign),
            "message[attachment][payload][elements][0][attachment_id]"
        );
    }

    [Fact]
    public async Task Send_IsReusableTrue_ItsAttachmentIdIsReusable_ButNotByAnotherPage()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await using var other = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("show me shirts")).Psid;
        var otherPsid = (await other.PersonWritesAsync("me too")).Psid;
        var first = await s.SendAsync(
            new
            {
                recipient = new { id = psid },
                message = new
                {
                    attachment = new
                    {
                        type = "image",
                        payload = new { url = "https://example.com/shirt.png", is_reusable = true },
                    },
                },
            }
        );
        var id = first.Body.GetProperty("attachment_id").GetString()!;

        var again = await SendAttachmentIdAsync(s, psid, id);
        var elsewhere = await SendAttachmentIdAsync(other, otherPsid, id);

        // A send by attachment_id reuses the saved attachment: no new id is minted.
        GraphAssert.Sent(again, psid);
        AssertInvalidAttachmentId(elsewhere, "message[attachment][payload][attachment_id]");
    }

    /// <summary>A seekable stream of zeros of a given length, so a large upload costs no test memory and has a
    /// Content-Length.</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, Length - Position);
            if (n <= 0)
                return 0;
            Array.Clear(buffer, offset, n);
            Position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) =>
            Position = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => Position + offset,
                _ => Length + offset,
            };

        public override void Flush() { }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
