namespace Portcullis.Cli.Tests;

/// <summary>
/// `cluster status` where no API server can run: its failures are one coded line. The report itself is
/// tested against the runtime's in-memory API (Portcullis.Runtime.Tests, HostTests).
/// </summary>
public sealed class ClusterCommandTests
{
    [Fact]
    public void An_unreachable_API_server_is_one_PCL7001_line()
    {
        using var dir = new TempDir();
        var config = dir.File("kubeconfig", """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            users: [{name: u, user: {token: t}}]
            """);
        var run = CliRun.Of("cluster", "status", "--kubeconfig", config);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("PCL7001: API server unreachable", Assert.Single(run.ErrLines), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_kubeconfig_is_one_PCL7001_line_naming_it()
    {
        var run = CliRun.Of("cluster", "status", "--kubeconfig", "/nonexistent/kubeconfig");
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrLines);
        Assert.StartsWith("PCL7001:", line, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/kubeconfig", line, StringComparison.Ordinal);
    }
}
