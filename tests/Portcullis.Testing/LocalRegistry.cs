using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Portcullis.Testing;

/// <summary>
/// Debian's docker-registry (distribution 2.8: no referrers API, so clients use the tag fallback) on a free
/// loopback port with its own storage directory and config; optionally with htpasswd Basic auth. Stopped
/// and removed on dispose.
/// </summary>
public sealed class LocalRegistry : IDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private LocalRegistry(Process process, string dir, int port, (string User, string Password)? basic)
    {
        _process = process;
        _dir = dir;
        Port = port;
        Basic = basic;
    }

    public int Port { get; }
    public string Host => $"127.0.0.1:{Port}";
    public (string User, string Password)? Basic { get; }

    /// <summary>A registry whose auth is `token`: it trusts <paramref name="issuer"/>'s certificate and sends clients to its realm.</summary>
    public static LocalRegistry StartWithTokenAuth(TokenIssuer issuer) => Start(false, issuer);

    public static LocalRegistry Start(bool basicAuth = false) => Start(basicAuth, null);

    private static LocalRegistry Start(bool basicAuth, TokenIssuer? issuer)
    {
        var registry = Requires.Tool("docker-registry", "docker-registry");
        var dir = Directory.CreateTempSubdirectory("portcullis-registry-").FullName;
        var port = Testing.FreePort.Next();
        (string, string)? basic = null;
        var auth = "";
        if (basicAuth)
        {
            var htpasswd = Requires.Tool("htpasswd", "apache2-utils");
            basic = ("portcullis", "s3cret-" + Guid.NewGuid().ToString("N")[..8]);
            var (code, line) = Requires.Run(htpasswd, "-Bbn", basic.Value.Item1, basic.Value.Item2);
            Assert.True(code == 0, "htpasswd failed: " + line);
            File.WriteAllText(Path.Combine(dir, "htpasswd"), line.Trim() + "\n");
            auth = $"auth:\n  htpasswd:\n    realm: portcullis-test\n    path: {Path.Combine(dir, "htpasswd")}\n";
        }
        if (issuer is not null)
        {
            var bundle = Path.Combine(dir, "issuer.pem");
            File.WriteAllText(bundle, issuer.CertificatePem);
            auth = $"auth:\n  token:\n    realm: {issuer.Realm}\n    service: {TokenIssuer.Service}\n    issuer: {TokenIssuer.IssuerName}\n    rootcertbundle: {bundle}\n";
        }
        var config = Path.Combine(dir, "config.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Path.Combine(dir, "data")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            {auth}
            """);

        var start = new ProcessStartInfo(registry) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var result = new LocalRegistry(process, dir, port, basic);
        result.WaitUntilReady();
        return result;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_dir, recursive: true);
        }
    }

    private void WaitUntilReady()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode}");
            try
            {
                var status = http.GetAsync($"http://{Host}/v2/").GetAwaiter().GetResult().StatusCode;
                if (status is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            Thread.Sleep(50);
        }
        throw new TimeoutException("docker-registry did not answer within 20 s");
    }

}
