using Pagebox.Server.Cli;

namespace Pagebox.Server.Tests.Hosting;

/// <summary>The command line refuses values that would leave the server unusable.</summary>
public sealed class ServeOptionsTests
{
    private static string? NoEnv(string _) => null;

    [Theory]
    [InlineData("--webhook-timeout-ms", "0")]
    [InlineData("--webhook-timeout-ms", "-5")]
    [InlineData("--webhook-timeout-ms", "25001")]
    [InlineData("--admin-key", "")]
    [InlineData("--policy", "2022")]
    [InlineData("--port", "70000")]
    [InlineData("--durability", "memory")]
    public void Parse_UnusableValue_IsRefused(string flag, string value)
    {
        var (options, error) = ServeCommand.Parse([flag, value], NoEnv);

        Assert.Null(options);
        Assert.Contains(flag.TrimStart('-').Split('-')[0], error, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("PAGEBOX_WEBHOOK_TIMEOUT_MS", "0")]
    [InlineData("PAGEBOX_WEBHOOK_TIMEOUT_MS", "abc")]
    [InlineData("PAGEBOX_MAX_BODY_BYTES", "12")]
    [InlineData("PAGEBOX_DURABILITY", "none")]
    public void Parse_UnusableEnvironmentValue_IsRefused(string variable, string value)
    {
        var (options, error) = ServeCommand.Parse([], name => name == variable ? value : null);

        Assert.Null(options);
        Assert.Contains(variable, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "disk")]
    [InlineData(new[] { "--ephemeral" }, "process")]
    [InlineData(new[] { "--durability", "process" }, "process")]
    [InlineData(new[] { "--ephemeral", "--durability", "disk" }, "disk")]
    public void Parse_Durability_DiskUnlessAskedOrEphemeral(string[] args, string expected)
    {
        var (options, error) = ServeCommand.Parse(args, NoEnv);

        Assert.Null(error);
        Assert.Equal(expected, options!.EffectiveDurability);
    }

    [Fact]
    public void Parse_DurabilityWithPostgres_IsRefused()
    {
        var (options, error) = ServeCommand.Parse(
            ["--store", "postgres", "--postgres", "Host=127.0.0.1", "--durability", "process"],
            NoEnv
        );

        Assert.Null(options);
        Assert.Contains("--durability", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FlagsOverEnvironment_FlagsWin()
    {
        var (options, error) = ServeCommand.Parse(
            ["--port", "9000", "--webhook-timeout-ms", "25000"],
            name => name == "PAGEBOX_PORT" ? "7000" : null
        );

        Assert.Null(error);
        Assert.Equal(9000, options!.Port);
        Assert.Equal(TimeSpan.FromSeconds(25), options.WebhookTimeout);
    }
}
