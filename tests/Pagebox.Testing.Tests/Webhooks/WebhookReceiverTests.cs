using System.Net;
using System.Text;

namespace Pagebox.Testing.Tests.Webhooks;

public sealed class WebhookReceiverTests : IAsyncLifetime
{
    private const string Secret = "s3cr3t-app-secret";

    // Meta signs the escaped-unicode form; any byte sequence must round-trip exactly.
    private const string Envelope =
        """{"object":"page","entry":[{"id":"111","time":1458692752478,"messaging":[{"sender":"""
        + """{"id":"PSID1"},"recipient":{"id":"111"},"timestamp":1458692752478,"message":"""
        + """{"mid":"m_1","text":"h\u00e4llo \/ world"}}]},{"id":"222","time":1458692752479,"messaging":["""
        + """{"sender":{"id":"222"},"recipient":{"id":"PSID2"},"timestamp":1458692752479,"message":"""
        + """{"mid":"m_2","is_echo":true,"text":"echo"}}]},{"id":"222","time":"""
        + """1458692752480,"messaging":[{"sender":{"id":"PSID2"},"recipient":"""
        + """{"id":"222"},"timestamp":1458692752480,"delivery":{"mids":["m_2"],"watermark":"""
        + """1458692752480}}]}]}""";

    private readonly HttpClient _http = new();
    private WebhookReceiver _receiver = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _receiver = await WebhookReceiver.StartAsync(Secret, "the-token", Ct);

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public void Start_BindsLoopbackPort_CallbackUrlPointsAtWebhookPath()
    {
        Assert.Equal("127.0.0.1", _receiver.CallbackUrl.Host);
        Assert.NotEqual(0, _receiver.CallbackUrl.Port);
        Assert.Equal("/webhook", _receiver.CallbackUrl.AbsolutePath);
    }

    [Fact]
    public async Task Handshake_RightToken_Answers200WithExactChallenge()
    {
        using var response = await _http.GetAsync(Handshake("subscribe", "the-token", "1158201444"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1158201444", await response.Content.ReadAsStringAsync(Ct));
        var handshake = Assert.Single(_receiver.Handshakes);
        Assert.Equal(
            ("subscribe", "the-token", "1158201444"),
            (handshake.Mode, handshake.VerifyToken, handshake.Challenge)
        );
        Assert.True(handshake.Accepted);
    }

    [Fact]
    public async Task Handshake_WrongToken_Answers403()
    {
        using var response = await _http.GetAsync(Handshake("subscribe", "not-the-token", "42"), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var handshake = Assert.Single(_receiver.Handshakes);
        Assert.Equal(403, handshake.ResponseStatus);
        Assert.False(handshake.Accepted);
    }

    [Fact]
    public async Task Handshake_WrongMode_Answers403()
    {
        using var response = await _http.GetAsync(Handshake("unsubscribe", "the-token", "42"), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Handshake_VerifyTokenChanged_UsesNewToken()
    {
        _receiver.VerifyToken = "rotated";

        using var old = await _http.GetAsync(Handshake("subscribe", "the-token", "1"), Ct);
        using var fresh = await _http.GetAsync(Handshake("subscribe", "rotated", "2"), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, old.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task Handshake_EchoWrongChallenge_Answers200WithOtherBody()
    {
        _receiver.EchoWrongChallenge = true;

        using var response = await _http.GetAsync(Handshake("subscribe", "the-token", "777"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual("777", await response.Content.ReadAsStringAsync(Ct));
        Assert.False(Assert.Single(_receiver.Handshakes).Accepted);
    }

    [Fact]
    public async Task Post_CorrectlySigned_RecordsValidSignaturesAndAnswersEventReceived()
    {
        var body = Encoding.UTF8.GetBytes(Envelope);

        var (status, text) = await PostAsync(body, Signed(body));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("EVENT_RECEIVED", text);
        var webhook = Assert.Single(_receiver.Received);
        Assert.True(webhook.Sha256Valid);
        Assert.True(webhook.Sha1Valid);
        Assert.True(webhook.Succeeded);
        Assert.Equal(200, webhook.ResponseStatus);
        Assert.Equal(body, webhook.Body);
        Assert.Equal("application/json", webhook.ContentType);
        Assert.Equal("page", webhook.Envelope!.Value.GetProperty("object").GetString());
        Assert.StartsWith("sha256=", webhook.Header("x-hub-signature-256"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_BodyTamperedAfterSigning_RecordsBothSignaturesInvalid()
    {
        var body = Encoding.UTF8.GetBytes(Envelope);
        var headers = Signed(body);
        var tampered = Encoding.UTF8.GetBytes(Envelope.Replace("m_1", "m_9", StringComparison.Ordinal));

        var (status, _) = await PostAsync(tampered, headers);

        Assert.Equal(HttpStatusCode.OK, status);
        var webhook = Assert.Single(_receiver.Received);
        Assert.False(webhook.Sha256Valid);
        Assert.False(webhook.Sha1Valid);
    }

    [Fact]
    public async Task Post_SignedWithOtherSecret_RecordsInvalid()
    {
        var body = Encoding.UTF8.GetBytes(Envelope);

        await PostAsync(body, Signed(body, "another-secret"));

        Assert.False(Assert.Single(_receiver.Received).SignaturesValid);
    }

    [Fact]
    public async Task Post_UppercaseHexSignature_RecordsInvalid()
    {
        var body = Encoding.UTF8.GetBytes(Envelope);
        var headers = Signed(body);
        headers[WebhookSignature.Sha256HeaderName] =
            "sha256=" + headers[WebhookSignature.Sha256HeaderName][7..].ToUpperInvariant();

        await PostAsync(body, headers);

        var webhook = Assert.Single(_receiver.Received);
        Assert.False(webhook.Sha256Valid);
        Assert.True(webhook.Sha1Valid);
    }

    [Fact]
    public async Task Post_SignatureHeadersMissing_RecordsInvalid()
    {
        await PostAsync(Encoding.UTF8.GetBytes(Envelope), []);

        var webhook = Assert.Single(_receiver.Received);
        Assert.False(webhook.Sha256Valid);
        Assert.False(webhook.Sha1Valid);
    }

    [Fact]
    public async Task Post_RejectInvalidSignatures_Answers403ForBadOnes()
    {
        _receiver.RejectInvalidSignatures = true;
        var body = Encoding.UTF8.GetBytes(Envelope);

        var (bad, _) = await PostAsync(body, Signed(body, "wrong"));
        var (good, _) = await PostAsync(body, Signed(body));

        Assert.Equal(HttpStatusCode.Forbidden, bad);
        Assert.Equal(HttpStatusCode.OK, good);
    }

    [Fact]
    public async Task Post_AppSecretChanged_ChecksAgainstNewSecret()
    {
        _receiver.AppSecret = "rotated-secret";
        var body = Encoding.UTF8.GetBytes(Envelope);

        await PostAsync(body, Signed(body, "rotated-secret"));

        Assert.True(Assert.Single(_receiver.Received).SignaturesValid);
    }

    [Fact]
    public async Task FailNext_Two_FailsTwoAttemptsThenSucceedsAndRecordsAll()
    {
        _receiver.FailNext(2, 503);
        var body = Encoding.UTF8.GetBytes(Envelope);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await PostAsync(body, Signed(body))).Status);
        }

        Assert.Equal(
            [HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK],
            statuses
        );
        Assert.Equal([503, 503, 200], _receiver.Received.Select(r => r.ResponseStatus));
        Assert.Equal([1, 2, 3], _receiver.Received.Select(r => r.Sequence));
        Assert.Single(_receiver.Delivered);
        Assert.Equal(3, _receiver.MessagingEvents().Count); // only the answered-200 POST counts
    }

    [Fact]
    public async Task AlwaysFail_On_Answers500UntilTurnedOff()
    {
        _receiver.AlwaysFail = true;
        var body = Encoding.UTF8.GetBytes(Envelope);

        var (first, _) = await PostAsync(body, Signed(body));
        var (second, _) = await PostAsync(body, Signed(body));
        _receiver.AlwaysFail = false;
        var (third, _) = await PostAsync(body, Signed(body));

        Assert.Equal(
            [HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK],
            [first, second, third]
        );
        Assert.DoesNotContain(_receiver.Received.Take(2), r => r.Succeeded);
    }

    [Fact]
    public async Task DelayNext_One_StallsOnlyTheNextAttempt()
    {
        // The stalled request is never awaited to completion: the receiver records it on arrival, the test
        // waits on that, then sends a second one that must pass straight through.
        _receiver.DelayNext(1, TimeSpan.FromMinutes(5));
        var body = Encoding.UTF8.GetBytes(Envelope);
        using var stalledCts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var stalled = PostWithTokenAsync(body, Signed(body), stalledCts.Token);

        await _receiver.WaitUntilAsync(r => r.Received.Count == 1, because: "the stalled POST", cancellationToken: Ct);
        var (status, _) = await PostAsync(body, Signed(body));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(stalled.IsCompleted);
        Assert.True(_receiver.Received[0].IsPending);
        Assert.Equal(TimeSpan.FromMinutes(5), _receiver.Received[0].Delay);

        await stalledCts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stalled);
        var aborted = await _receiver.WaitForAsync(
            r => r.Received[0] is { IsPending: false } w ? w : null,
            cancellationToken: Ct
        );
        Assert.True(aborted.ClientAborted);
        Assert.False(aborted.Succeeded);
    }

    [Fact]
    public async Task DisposeAsync_RequestStalled_AbortsItInsteadOfAnswering200()
    {
        var receiver = await WebhookReceiver.StartAsync(Secret, cancellationToken: Ct);
        receiver.DelayNext(1, TimeSpan.FromMinutes(5));
        var body = Encoding.UTF8.GetBytes(Envelope);
        using var request = new HttpRequestMessage(HttpMethod.Post, receiver.CallbackUrl)
        {
            Content = new ByteArrayContent(body),
        };
        var stalled = _http.SendAsync(request, Ct);
        await receiver.WaitUntilAsync(r => r.Received.Count == 1, cancellationToken: Ct);

        await receiver.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => stalled);
    }

    [Fact]
    public async Task MessagingEvents_Envelope_FlattensEntriesWithIdsAndKinds()
    {
        var body = Encoding.UTF8.GetBytes(Envelope);
        await PostAsync(body, Signed(body));

        var events = _receiver.MessagingEvents();

        Assert.Equal(["111", "222", "222"], events.Select(e => e.EntryId));
        Assert.Equal(["message", "message", "delivery"], events.Select(e => e.Kind));
        var message = Assert.Single(_receiver.Messages());
        Assert.Equal("hällo / world", message.Text);
        Assert.Equal("m_1", message.Mid);
        Assert.Equal("PSID1", message.SenderId);
        Assert.Equal(1458692752478, message.Timestamp);
        var echo = Assert.Single(_receiver.Echoes());
        Assert.True(echo.IsEcho);
        Assert.Equal("PSID2", echo.RecipientId);
        Assert.Single(_receiver.Deliveries());
        Assert.Single(_receiver.Events("delivery"));
        Assert.Empty(_receiver.Reads());
    }

    [Fact]
    public async Task WaitForEventsAsync_EventArrivesLater_ReturnsIt()
    {
        var waiting = _receiver.WaitForEventsAsync(e => e.IsEcho, cancellationToken: Ct);
        Assert.False(waiting.IsCompleted);

        var body = Encoding.UTF8.GetBytes(Envelope);
        await PostAsync(body, Signed(body));

        var echoes = await waiting;
        Assert.Equal("m_2", Assert.Single(echoes).Mid);
    }

    [Fact]
    public async Task WaitUntilAsync_NeverTrue_ThrowsTimeoutListingWhatArrived()
    {
        var body = Encoding.UTF8.GetBytes(Envelope);
        await PostAsync(body, Signed(body, "wrong-secret"));
        using var handshake = await _http.GetAsync(Handshake("subscribe", "the-token", "31337"), Ct);

        var ex = await Assert.ThrowsAsync<TimeoutException>(() =>
            _receiver.WaitUntilAsync(
                r => r.Reads().Count > 0,
                TimeSpan.FromMilliseconds(200),
                because: "a read receipt",
                cancellationToken: Ct
            )
        );

        Assert.Contains("a read receipt", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1 handshake(s), 1 POST(s)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("sha256=BAD", ex.Message, StringComparison.Ordinal);
        Assert.Contains("challenge=31337", ex.Message, StringComparison.Ordinal);
        Assert.Contains("\"mid\":\"m_1\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForAsync_ConditionAlreadyTrue_ReturnsAtOnce()
    {
        var body = Encoding.UTF8.GetBytes(Envelope);
        await PostAsync(body, Signed(body));

        var first = await _receiver.WaitForAsync(
            r => r.Received.Count > 0 ? r.Received[0] : null,
            TimeSpan.Zero,
            cancellationToken: Ct
        );
        var count = await _receiver.WaitForAsync(
            r => r.Received.Count > 0 ? r.Received.Count : (int?)null,
            cancellationToken: Ct
        );

        Assert.Equal(1, first.Sequence);
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task Post_OtherPath_Answers404AndIsListedAsUnmatched()
    {
        using var response = await _http.PostAsync(
            new Uri(_receiver.BaseUrl, "elsewhere"),
            new StringContent("{}"),
            Ct
        );

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(["POST /elsewhere"], _receiver.Unmatched);
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task Reset_AfterTraffic_ForgetsRecordsAndFaults()
    {
        _receiver.FailNext(5);
        var body = Encoding.UTF8.GetBytes(Envelope);
        await PostAsync(body, Signed(body));

        _receiver.Reset();
        var (status, _) = await PostAsync(body, Signed(body));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, Assert.Single(_receiver.Received).Sequence);
    }

    [Fact]
    public async Task Received_ConcurrentPosts_RecordsEachOnceWithDistinctSequence()
    {
        var body = Encoding.UTF8.GetBytes(Envelope);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => PostAsync(body, Signed(body))));

        Assert.Equal(Enumerable.Range(1, 40), _receiver.Received.Select(r => r.Sequence).Order());
        Assert.All(_receiver.Received, r => Assert.True(r.Succeeded));
    }

    private Uri Handshake(string mode, string token, string challenge) =>
        new(
            $"{_receiver.CallbackUrl}?hub.mode={Uri.EscapeDataString(mode)}&hub.verify_token="
                + $"{Uri.EscapeDataString(token)}&hub.challenge={Uri.EscapeDataString(challenge)}"
        );

    private static Dictionary<string, string> Signed(byte[] body, string secret = Secret) =>
        new()
        {
            [WebhookSignature.Sha256HeaderName] = WebhookSignature.Sha256(body, secret),
            [WebhookSignature.Sha1HeaderName] = WebhookSignature.Sha1(body, secret),
        };

    private Task<(HttpStatusCode Status, string Body)> PostAsync(byte[] body, Dictionary<string, string> headers) =>
        PostWithTokenAsync(body, headers, Ct);

    private async Task<(HttpStatusCode Status, string Body)> PostWithTokenAsync(
        byte[] body,
        Dictionary<string, string> headers,
        CancellationToken cancellationToken
    )
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _receiver.CallbackUrl)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }
}
