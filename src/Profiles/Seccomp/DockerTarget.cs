using Portcullis.Profiles.Collections;

namespace Portcullis.Profiles.Seccomp;

/// <summary>What Docker resolves a Docker-format profile for: the host architecture, the container's capabilities and the kernel version.</summary>
public sealed record DockerTarget(SeccompArch Architecture, ValueList<string> Capabilities, Version? Kernel)
{
    /// <summary>Docker's default capability set (what `docker run` grants without --cap-add).</summary>
    public static ValueList<string> DefaultCapabilities { get; } =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    /// <summary>This machine: its architecture and kernel, with Docker's default capabilities.</summary>
    public static DockerTarget Host(SeccompArch? arch = null) =>
        new(arch ?? SeccompArchitectures.Host, DefaultCapabilities, HostKernel());

    private static Version? HostKernel()
    {
        try
        {
            var release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
            var numeric = new string(release.TakeWhile(c => char.IsDigit(c) || c == '.').ToArray()).Trim('.');
            return Version.TryParse(numeric.Contains('.', StringComparison.Ordinal) ? numeric : numeric + ".0", out var v) ? v : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
