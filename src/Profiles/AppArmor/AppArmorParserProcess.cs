using System.Diagnostics;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.AppArmor;

/// <summary>
/// The real apparmor_parser, run as <c>apparmor_parser -Q -K</c> (compile only, no kernel load, no cache)
/// on the policy given on standard input. Works on kernels without AppArmor, as in CI.
/// </summary>
public sealed class AppArmorParserProcess : IAppArmorCompiler
{
    private static readonly string[] SearchPath = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(SearchPath)
            .Where(d => d.Length > 0)
            .Select(d => Path.Combine(d, "apparmor_parser"))
            .FirstOrDefault(File.Exists);

    public IReadOnlyList<Diagnostic> Check(string policy, Origin origin)
    {
        var parser = Find();
        if (parser is null)
            return [Diagnostic.Error(DiagnosticId.AppArmorParserRejected, "apparmor_parser is not installed (Debian package apparmor)", origin)];

        var start = new ProcessStartInfo(parser)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-Q", "-K" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(policy);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            return [Diagnostic.Error(DiagnosticId.AppArmorParserRejected, "apparmor_parser did not finish within 60 s", origin)];
        }
        if (process.ExitCode == 0)
            return [];

        // Its own notes about the cache (the kernel here has no AppArmor) are not findings.
        var lines = (stderr.Result + stdout.Result).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("Cache read/write disabled", StringComparison.Ordinal) && !l.StartsWith("Warning: unable to find a suitable fs", StringComparison.Ordinal))
            .ToList();
        return [Diagnostic.Error(DiagnosticId.AppArmorParserRejected, "apparmor_parser: " + (lines.Count > 0 ? string.Join(" / ", lines) : $"exit code {process.ExitCode}"), origin)];
    }
}
