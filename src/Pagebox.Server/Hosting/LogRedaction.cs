using System.Text.RegularExpressions;

namespace Pagebox.Server.Hosting;

/// <summary>
/// Takes credentials out of every log line, at every level, whoever writes it (ASP.NET Core's request lines carry
/// query strings, Kestrel's bad-request lines carry the raw request line, exceptions quote what they were given):
/// <c>access_token</c>, <c>appsecret_proof</c> and <c>input_token</c> values, app tokens <c>APP-ID|SECRET</c>, Page
/// tokens, <c>Bearer</c> credentials and the admin key.
/// </summary>
internal sealed partial class LogRedactor(IEnumerable<string> secrets)
{
    public const string Mark = "[redacted]";

    // Exact values known at start (the admin key); short ones are left to the patterns, lest every "k" go.
    private readonly string[] _secrets = [.. secrets.Where(s => s.Length >= 8).Distinct()];

    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
            return text;
        foreach (var secret in _secrets)
            text = text.Replace(secret, Mark, StringComparison.Ordinal);
        text = NamedParameter().Replace(text, m => m.Groups[1].Value + m.Groups[2].Value + Mark);
        text = JsonParameter().Replace(text, m => $"\"{m.Groups[1].Value}\":\"{Mark}\"");
        text = AppToken().Replace(text, m => m.Groups[1].Value + m.Groups[2].Value + Mark);
        text = Credential().Replace(text, m => m.Groups[1].Value + " " + Mark);
        text = PageToken().Replace(text, "EAA" + Mark);
        return AdminKeyShape().Replace(text, "pbx_" + Mark);
    }

    // access_token=…, appsecret_proof=… in query strings and forms, also percent-encoded (%3D) and quoted by Kestrel.
    [GeneratedRegex(
        @"(?i)\b(access_token|appsecret_proof|input_token|client_secret|fb_exchange_token|verify_token)"
            + @"(=|%3D)[^&\s""'<>]*",
        RegexOptions.CultureInvariant
    )]
    private static partial Regex NamedParameter();

    [GeneratedRegex(
        @"(?i)""(access_token|appsecret_proof|input_token|client_secret|secret)""\s*:\s*""[^""]*""",
        RegexOptions.CultureInvariant
    )]
    private static partial Regex JsonParameter();

    // APP-ID|APP-SECRET, the bar also percent-encoded.
    [GeneratedRegex(@"\b(\d{5,})(\||%7[Cc])[^\s&""'<>/]+", RegexOptions.CultureInvariant)]
    private static partial Regex AppToken();

    [GeneratedRegex(@"(?i)\b(Bearer|OAuth)\s+[^\s""',;]+", RegexOptions.CultureInvariant)]
    private static partial Regex Credential();

    [GeneratedRegex(@"\bEAA[A-Za-z0-9]{16,}", RegexOptions.CultureInvariant)]
    private static partial Regex PageToken();

    [GeneratedRegex(@"\bpbx_[A-Za-z0-9]{8,}", RegexOptions.CultureInvariant)]
    private static partial Regex AdminKeyShape();
}

/// <summary>Wraps a logger provider (the console's) so each message and exception text is redacted before it is
/// written.</summary>
internal sealed class RedactingLoggerProvider(ILoggerProvider inner, LogRedactor redactor)
    : ILoggerProvider,
        ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName), redactor);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope scoped)
            scoped.SetScopeProvider(scopeProvider);
    }

    public void Dispose() => inner.Dispose();

    /// <summary>Replaces every registered logger provider with its redacting wrapper; called once all are
    /// registered.</summary>
    public static void WrapAll(IServiceCollection services, LogRedactor redactor)
    {
        var registered = services.Where(d => d.ServiceType == typeof(ILoggerProvider) && !d.IsKeyedService).ToList();
        foreach (var descriptor in registered)
        {
            services.Remove(descriptor);
            services.AddSingleton<ILoggerProvider>(sp => new RedactingLoggerProvider(Create(sp, descriptor), redactor));
        }
    }

    private static ILoggerProvider Create(IServiceProvider sp, ServiceDescriptor d) =>
        (ILoggerProvider)(
            d.ImplementationInstance
            ?? d.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, d.ImplementationType!)
        );

    private sealed class RedactingLogger(ILogger inner, LogRedactor redactor) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter
        )
        {
            if (!inner.IsEnabled(logLevel))
                return;
            // The exception goes in as redacted text: its message and stack may quote what it was given.
            var message = redactor.Redact(formatter(state, exception));
            if (exception is not null)
                message += Environment.NewLine + redactor.Redact(exception.ToString());
            inner.Log(logLevel, eventId, message, null, static (text, _) => text);
        }
    }
}
