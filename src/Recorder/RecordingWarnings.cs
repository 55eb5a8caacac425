using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Recorder;

/// <summary>What can make a recording differ from how the command behaves in a container, said as warnings.</summary>
internal static class RecordingWarnings
{
    public static IReadOnlyList<Diagnostic> For(int leftRunning, IEnumerable<string> executables)
    {
        var warnings = new List<Diagnostic>();
        if (leftRunning > 0)
            warnings.Add(Diagnostic.Warning(DiagnosticId.ProcessesLeftRunning, $"the command exited while {leftRunning} process(es) it started were still running; they were killed, as in a container, and what they would have done later is not recorded"));
        if (!HasSysAdmin())
        {
            foreach (var path in executables.Where(IsPrivileged))
                warnings.Add(Diagnostic.Warning(DiagnosticId.PrivilegesDropped, $"{path} is setuid/setgid or has file capabilities, but without CAP_SYS_ADMIN the recording runs under no_new_privs: it ran without those privileges"));
        }
        return warnings;
    }

    private static bool IsPrivileged(string path)
    {
        try
        {
            var mode = File.GetUnixFileMode(path);
            return (mode & (UnixFileMode.SetUser | UnixFileMode.SetGroup)) != 0 || HasFileCapabilities(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool HasFileCapabilities(string path) =>
        Native.Libc.getxattr(path, "security.capability", IntPtr.Zero, 0) > 0;

    // CapEff bit 21 in /proc/self/status: what lets the launcher install its filter without no_new_privs.
    private static bool HasSysAdmin()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return line is not null && ulong.TryParse(line["CapEff:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, null, out var caps) && (caps & (1UL << 21)) != 0;
    }
}
