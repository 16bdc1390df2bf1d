using Pagebox.Domain.Attachments;
using Pagebox.Domain.Errors;

namespace Pagebox.Domain.Tests.Attachments;

/// <summary>The upload rule (type, source, size, content type family) and the reuse rule (owner, 90 days).</summary>
public sealed class AttachmentRulesTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 4, 10, 0, 0, TimeSpan.Zero);

    private static AttachmentRecord Saved(string pageId = "100") =>
        new("1234567890123456", pageId, "image", "https://example.com/a.png", null, null, null, T0);

    [Theory]
    [InlineData("89.23:59:59.999", true)]
    [InlineData("89.23:59:59", true)]
    [InlineData("0:00:00", true)]
    [InlineData("90.00:00:00", false)]
    [InlineData("365.00:00:00", false)]
    public void Reuse_Age_ValidOnlyBefore90Days(string age, bool valid)
    {
        var now = T0 + TimeSpan.Parse(age, System.Globalization.CultureInfo.InvariantCulture);

        var error = AttachmentReuseRule.Check(Saved(), "100", "attachment_id", now);

        Assert.Equal(valid, error is null);
        if (!valid)
            Assert.Equal(DomainErrorKind.InvalidAttachmentId, error!.Kind);
    }

    [Fact]
    public void Reuse_AnotherPagesOrUnknown_InvalidAttachmentIdNamingTheParameter()
    {
        var foreign = AttachmentReuseRule.Check(Saved("200"), "100", "message[attachment][payload][attachment_id]", T0);
        var unknown = AttachmentReuseRule.Check(null, "100", "x", T0);

        Assert.Equal(
            new DomainError(DomainErrorKind.InvalidAttachmentId, "message[attachment][payload][attachment_id]"),
            foreign
        );
        Assert.Equal(DomainErrorKind.InvalidAttachmentId, unknown?.Kind);
    }

    [Theory]
    [InlineData("image", "image/png", true)]
    [InlineData("image", "IMAGE/JPEG", true)]
    [InlineData("audio", "audio/mpeg", true)]
    [InlineData("video", "video/mp4", true)]
    [InlineData("file", "text/plain", true)]
    [InlineData("file", null, true)]
    [InlineData("image", "text/plain", false)]
    [InlineData("audio", "video/mp4", false)]
    [InlineData("video", "application/octet-stream", false)]
    [InlineData("image", null, false)]
    [InlineData("image", "imagex/png", false)]
    public void Upload_ContentTypeFamily_MatchesTheDeclaredType(string type, string? contentType, bool ok)
    {
        var error = AttachmentUploadRule.Check(new AttachmentUpload(type, null, contentType, 10, "f"));

        Assert.Equal(ok ? null : DomainErrorKind.AttachmentTypeMismatch, error?.Kind);
    }

    [Theory]
    [InlineData(AttachmentUploadRule.MaxFileBytes, null)]
    [InlineData(AttachmentUploadRule.MaxFileBytes + 1, DomainErrorKind.AttachmentTooLarge)]
    [InlineData(0L, DomainErrorKind.InvalidParameter)]
    public void Upload_FileSize_AtMost25MB(long size, DomainErrorKind? kind)
    {
        Assert.Equal(
            kind,
            AttachmentUploadRule.Check(new AttachmentUpload("video", null, "video/mp4", size, "v.mp4"))?.Kind
        );
    }

    [Theory]
    [InlineData("template", "https://example.com/a.png", false, "message[attachment][type]")]
    [InlineData("image", null, false, "message[attachment][payload][url]")]
    [InlineData("image", "ftp://example.com/a.png", false, "message[attachment][payload][url]")]
    [InlineData("image", "/a.png", false, "message[attachment][payload][url]")]
    [InlineData("image", "https://example.com/a.png", true, "filedata")]
    [InlineData("image", "http://localhost:3000/a.png", false, null)]
    public void Upload_TypeAndSource_ExactlyOneSourceOfAMediaType(
        string type,
        string? url,
        bool withFile,
        string? parameter
    )
    {
        var upload = new AttachmentUpload(
            type,
            url,
            withFile ? "image/png" : null,
            withFile ? 10 : null,
            withFile ? "a.png" : null
        );

        var error = AttachmentUploadRule.Check(upload);

        Assert.Equal(parameter, error?.Parameter);
        if (error is not null)
            Assert.Equal(DomainErrorKind.InvalidParameter, error.Kind);
    }
}
