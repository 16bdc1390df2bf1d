using System.Text;

namespace Pagebox.Testing.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    // Known-answer values computed independently with: printf '%s' BODY | openssl dgst -sha256 -hmac SECRET
    private const string Body = """{"object":"page","entry":[]}""";
    private const string Sha256Hex = "550e646d4869f9eaf9e56ccc2b73b528c8d3aac4a24ff137e0a26e3e45bbd075";
    private const string Sha1Hex = "5c993cdbb44ab7691f7ea56930ecffab4994904e";

    [Fact]
    public void Sha256_KnownBody_MatchesOpenSsl()
    {
        Assert.Equal("sha256=" + Sha256Hex, WebhookSignature.Sha256(Encoding.UTF8.GetBytes(Body), "secret"));
    }

    [Fact]
    public void Sha1_KnownBody_MatchesOpenSsl()
    {
        Assert.Equal("sha1=" + Sha1Hex, WebhookSignature.Sha1(Encoding.UTF8.GetBytes(Body), "secret"));
    }

    [Fact]
    public void VerifySha256_PrefixMissing_ReturnsFalse()
    {
        Assert.False(WebhookSignature.VerifySha256(Encoding.UTF8.GetBytes(Body), "secret", Sha256Hex));
    }

    [Fact]
    public void VerifySha256_Null_ReturnsFalse()
    {
        Assert.False(WebhookSignature.VerifySha256(Encoding.UTF8.GetBytes(Body), "secret", null));
    }
}
