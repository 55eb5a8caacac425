using System.ComponentModel;
using System.Diagnostics;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.AppArmor;

/// <summary>
/// The one way Portcullis runs apparmor_parser: `validate --apparmor-parser` compiles (-Q -K, policy on standard
/// input, works on kernels without AppArmor), the node agent loads (-r) and unloads (-R) files. On a node the parser
/// runs as root on host content, so every run has a time limit after which the whole process tree is killed, and
/// keeps at most <see cref="OutputLimit"/> bytes of what the parser prints: that text ends up in statuses and logs.
/// </summary>
public sealed class AppArmorParserProcess : IAppArmorCompiler
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public const int OutputLimit = 2048;

    private static readonly string[] SearchPath = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];
    private readonly IReadOnlyList<string>? _command;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    /// <param name="command">The parser and arguments before Portcullis's own (the node's: `nsenter -t 1 -m -- apparmor_parser`); default: apparmor_parser found on PATH.</param>
    public AppArmorParserProcess(IReadOnlyList<string>? command = null, TimeSpan? timeout = null, TimeProvider? time = null)
    {
        _command = command is { Count: > 0 } ? command : null;
        _timeout = timeout ?? DefaultTimeout;
        _time = time ?? TimeProvider.System;
    }

    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(SearchPath)
            .Where(d => d.Length > 0)
            .Select(d => Path.Combine(d, "apparmor_parser"))
            .FirstOrDefault(File.Exists);

    public IReadOnlyList<Diagnostic> Check(string policy, Origin origin)
    {
        if (_command is null && Find() is null)
            return [Diagnostic.Error(DiagnosticId.AppArmorParserRejected, "apparmor_parser is not installed (Debian package apparmor)", origin)];
        var run = RunAsync(["-Q", "-K"], policy, CancellationToken.None).GetAwaiter().GetResult();
        return run.Succeeded ? [] : [Diagnostic.Error(DiagnosticId.AppArmorParserRejected, run.Describe(), origin)];
    }

    /// <summary>Loads (or replaces) the policy in the file into the kernel; throws <see cref="InvalidOperationException"/> with the parser's bounded words.</summary>
    public Task LoadAsync(string path, CancellationToken cancel) => RunCheckedAsync("-r", path, cancel);

    /// <summary>Removes the policy in the file from the kernel.</summary>
    public Task UnloadAsync(string path, CancellationToken cancel) => RunCheckedAsync("-R", path, cancel);

    private async Task RunCheckedAsync(string action, string path, CancellationToken cancel)
    {
        var run = await RunAsync([action, path], null, cancel).ConfigureAwait(false);
        if (!run.Succeeded)
            throw new InvalidOperationException($"apparmor_parser {action} {Path.GetFileName(path)}: {run.Describe()}");
    }

    /// <summary>Runs the parser with <paramref name="arguments"/>, <paramref name="input"/> on its standard input (or none).</summary>
    public async Task<AppArmorParserRun> RunAsync(IReadOnlyList<string> arguments, string? input, CancellationToken cancel)
    {
        // Armed before the first await, so that a test's clock can move as soon as the call returns.
        using var deadline = new CancellationTokenSource(_timeout, _time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel, deadline.Token);
        var command = _command ?? [Find() ?? "apparmor_parser"];
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1).Concat(arguments))
            start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {command[0]}");
        }
        catch (Win32Exception e)
        {
            return new AppArmorParserRun(-1, false, $"cannot start {command[0]}: {e.Message}", 0, _timeout);
        }
        using (process)
        {
            var output = new BoundedOutput(OutputLimit);
            var stdout = output.DrainAsync(process.StandardOutput.BaseStream);
            var stderr = output.DrainAsync(process.StandardError.BaseStream);
            try
            {
                await WriteInputAsync(process, input, stop.Token).ConfigureAwait(false);
                await process.WaitForExitAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
                cancel.ThrowIfCancellationRequested();
                return new AppArmorParserRun(process.ExitCode, TimedOut: true, output.Text, output.Seen, _timeout);
            }
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            return new AppArmorParserRun(process.ExitCode, false, output.Text, output.Seen, _timeout);
        }
    }

    private static async Task WriteInputAsync(Process process, string? input, CancellationToken cancel)
    {
        try
        {
            if (input is not null)
                await process.StandardInput.WriteAsync(input.AsMemory(), cancel).ConfigureAwait(false);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The parser stopped reading (it refused early); its exit code and words say why.
        }
    }
}
