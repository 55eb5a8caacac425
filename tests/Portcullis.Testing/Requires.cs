using Xunit;

using System.Diagnostics;

namespace Portcullis.Testing;

/// <summary>
/// Tests that need a real tool call this first. On a developer machine without it the test is skipped
/// with the reason; under CI (CI=true) a missing tool fails the test, because .ci/run installs everything.
/// </summary>
public static class Requires
{
    public static string Tool(string name, string package)
    {
        var path = Environment.GetEnvironmentVariable("PATH")!.Split(':')
            .Append("/usr/sbin").Append("/sbin")
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
        if (path is not null)
            return path;
        var reason = $"{name} is not installed (Debian package {package})";
        if (Environment.GetEnvironmentVariable("CI") == "true")
            Assert.Fail(reason + "; CI must install it in .ci/run");
        Assert.Skip(reason);
        return "";
    }

    /// <summary>Root (CI runs as root; elsewhere the test is skipped with the reason).</summary>
    public static void Root()
    {
        if (Environment.UserName == "root")
            return;
        if (Environment.GetEnvironmentVariable("CI") == "true")
            Assert.Fail("this test needs root, and CI runs as root");
        Assert.Skip("this test needs root");
    }

    public static (int ExitCode, string Output) Run(string file, params string[] args) => RunWithInput(null, file, args);

    /// <summary>Runs a program to its end and returns its exit code with stdout and stderr joined.</summary>
    public static (int ExitCode, string Output) RunWithInput(string? stdin, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
