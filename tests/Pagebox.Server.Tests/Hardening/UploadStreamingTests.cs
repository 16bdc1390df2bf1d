using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pagebox.Server.Graph;
using Pagebox.Server.Hosting;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Hardening;

/// <summary>
/// Uploads to the attachment edge stream past (issue 7): a bounded number are read at once, the others wait for a slot;
/// Kestrel drops trickled headers and bodies. The memory side is <see cref="Hosting.UploadMemoryTests"/>.
/// </summary>
public sealed class UploadStreamingTests : IAsyncLifetime
{
    private PageboxServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _server = await PageboxServer.StartAsync(o => o.MaxConcurrentUploads = 1);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    public static MultipartFormDataContent Form(Stream file, string type = "file")
    {
        var content = new StreamContent(file, 64 * 1024);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/octet-stream");
        var form = new MultipartFormDataContent
        {
            {
                new StringContent($"{{\"attachment\":{{\"type\":\"{type}\",\"payload\":{{\"is_reusable\":true}}}}}}"),
                "message"
            },
        };
        form.Add(content, "filedata", "big.bin");
        return form;
    }

    [Fact]
    public async Task Upload_MoreThanTheSlots_OthersWaitForASlotAndAllSucceed()
    {
        await using var s = await Scenario.StartAsync(_server, subscribe: false);
        var gate = _server.Host.Services.GetRequiredService<UploadGate>();
        var slow = new PatternStream(4 * 1024 * 1024, pauseAt: 1024 * 1024);

        var first = s.Graph.SendAsync(
            HttpMethod.Post,
            $"{s.Page.Id}/message_attachments",
            Form(slow),
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        await slow.Paused.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await Eventually.WaitAsync(
            async () =>
            {
                await Task.Yield();
                return gate.InUse == 1 ? true : (bool?)null;
            },
            TimeSpan.FromSeconds(15),
            "the first upload to hold the slot"
        );
        var second = s.Graph.SendAsync(
            HttpMethod.Post,
            $"{s.Page.Id}/message_attachments",
            Form(new PatternStream(1000)),
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        await Eventually.WaitAsync(
            async () =>
            {
                await Task.Yield();
                return gate.Waiting == 1 ? true : (bool?)null;
            },
            TimeSpan.FromSeconds(15),
            "the second upload to wait for a slot"
        );

        Assert.False(second.IsCompleted);
        slow.Resume();

        Assert.Equal(HttpStatusCode.OK, (await first).Status);
        Assert.Equal(HttpStatusCode.OK, (await second).Status);
        Assert.Equal(0, gate.InUse);
    }

    [Fact]
    public async Task Upload_File_KeepsItsSizeAndSha256_TakenWhileItStreamedPast()
    {
        await using var s = await Scenario.StartAsync(_server, subscribe: false);
        const long length = (3 * 1024 * 1024) + 17;
        var expected = Convert.ToHexStringLower(
            await System.Security.Cryptography.SHA256.HashDataAsync(new PatternStream(length), Ct)
        );

        var file = await s.Graph.SendAsync(
            HttpMethod.Post,
            $"{s.Page.Id}/message_attachments",
            Form(new PatternStream(length)),
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        var byUrl = await s.Graph.PostAsync(
            $"{s.Page.Id}/message_attachments",
            new
            {
                message = new
                {
                    attachment = new
                    {
                        type = "image",
                        payload = new { url = "https://example.com/a.png", is_reusable = true },
                    },
                },
            },
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.OK, file.Status);
        var saved = await s.World.SendAsync(
            HttpMethod.Get,
            $"_pagebox/pages/{s.Page.Id}/attachments/{file.Body.GetProperty("attachment_id").GetString()}",
            cancellationToken: Ct
        );
        Assert.Equal(HttpStatusCode.OK, saved.Status);
        Assert.Equal(expected, saved.Body.GetProperty("sha256").GetString());
        Assert.Equal(length, saved.Body.GetProperty("size_bytes").GetInt64());
        Assert.Equal("big.bin", saved.Body.GetProperty("file_name").GetString());
        Assert.Equal("file", saved.Body.GetProperty("type").GetString());

        var url = await s.World.SendAsync(
            HttpMethod.Get,
            $"_pagebox/pages/{s.Page.Id}/attachments/{byUrl.Body.GetProperty("attachment_id").GetString()}",
            cancellationToken: Ct
        );
        Assert.Equal("https://example.com/a.png", url.Body.GetProperty("url").GetString());
        Assert.False(url.Body.TryGetProperty("sha256", out _));
        Assert.False(url.Body.TryGetProperty("size_bytes", out _));
        Assert.Equal(
            HttpStatusCode.NotFound,
            (
                await s.World.SendAsync(
                    HttpMethod.Get,
                    $"_pagebox/pages/{s.Page.Id}/attachments/404404",
                    cancellationToken: Ct
                )
            ).Status
        );
    }

    [Fact]
    public async Task Upload_FileOf25MiB_AcceptedAndOneByteMoreRefused2018109()
    {
        await using var s = await Scenario.StartAsync(_server, subscribe: false);
        const long max = 25L * 1024 * 1024;

        var exact = await s.Graph.SendAsync(
            HttpMethod.Post,
            $"{s.Page.Id}/message_attachments",
            Form(new PatternStream(max)),
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        var over = await s.Graph.SendAsync(
            HttpMethod.Post,
            $"{s.Page.Id}/message_attachments",
            Form(new PatternStream(max + 1)),
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.OK, exact.Status);
        GraphAssert.Error(over, HttpStatusCode.BadRequest, "OAuthException", 100, 2018109);
    }

    [Fact]
    public async Task Upload_JsonBodyOverTheGeneralLimit_IsABodyErrorNotAnAttachmentSize()
    {
        await using var s = await Scenario.StartAsync(_server, subscribe: false);
        var big = new string('a', 2 * 1024 * 1024);

        var answer = await s.Graph.PostAsync(
            $"{s.Page.Id}/message_attachments",
            new
            {
                message = new
                {
                    attachment = new { type = "image", payload = new { url = "https://example.com/" + big } },
                },
            },
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 100, null);
    }

    [Fact]
    public void Kestrel_TrickledHeadersAndBodies_AreDroppedByItsLimits()
    {
        var limits = _server.Host.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        Assert.Equal(PageboxHost.RequestHeadersTimeout, limits.RequestHeadersTimeout);
        Assert.True(limits.RequestHeadersTimeout <= TimeSpan.FromSeconds(10));
        Assert.NotNull(limits.MinRequestBodyDataRate);
        Assert.True(limits.MinRequestBodyDataRate!.BytesPerSecond >= 1024);
        Assert.True(limits.MinRequestBodyDataRate.GracePeriod <= TimeSpan.FromSeconds(5));
    }
}
