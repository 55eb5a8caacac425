using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Syscalls;
using Portcullis.Profiles.Recordings;

namespace Portcullis.Recorder.Ptrace;

/// <summary>
/// Turns the arguments of file, exec, socket and mmap syscalls into observations: paths resolved against
/// dirfd or the working directory (through /proc/PID), access kinds from open flags, socket families and
/// bound ports. Only the syscalls listed here cost more than a count.
/// </summary>
internal sealed class SyscallDecoder(ObservationSink sink)
{
    private const long AtFdcwd = -100;
    private const int AtEmptyPath = 0x1000;

    private delegate void Decode(int pid, ReadOnlySpan<ulong> a);

    private readonly Dictionary<(SeccompArch, int), Decode?> _byNumber = [];

    // Programs open the same paths over and over; resolving symlinks costs an lstat per path component.
    private readonly Dictionary<string, (string Path, bool Exists)> _canonical = new(StringComparer.Ordinal);

    public void Handle(int pid, SeccompArch arch, int nr, ReadOnlySpan<ulong> args)
    {
        if (!_byNumber.TryGetValue((arch, nr), out var decode))
            _byNumber[(arch, nr)] = decode = For(SyscallTable.Name(nr, arch));
        decode?.Invoke(pid, args);
    }

    private Decode? For(string? name) => name switch
    {
        "open" => (p, a) => Open(p, AtFdcwd, a[0], a[1]),
        "openat" => (p, a) => Open(p, Fd(a[0]), a[1], a[2]),
        "openat2" => (p, a) => Open(p, Fd(a[0]), a[1], ReadU64(p, a[2])),
        "creat" => (p, a) => File(p, AtFdcwd, a[0], FileAccessKind.Create | FileAccessKind.Write),
        "execve" => (p, a) => Exec(p, AtFdcwd, a[0]),
        "execveat" => (p, a) => Exec(p, Fd(a[0]), a[1]),
        "stat" or "lstat" or "stat64" or "lstat64" or "access" or "readlink" => (p, a) => File(p, AtFdcwd, a[0], FileAccessKind.Stat),
        "newfstatat" or "fstatat64" or "faccessat" or "faccessat2" or "readlinkat" => (p, a) => File(p, Fd(a[0]), a[1], FileAccessKind.Stat, a.Length > 3 ? (int)a[3] : 0),
        "statx" => (p, a) => File(p, Fd(a[0]), a[1], FileAccessKind.Stat, (int)a[2]),
        "unlink" or "rmdir" => (p, a) => File(p, AtFdcwd, a[0], FileAccessKind.Delete),
        "unlinkat" => (p, a) => File(p, Fd(a[0]), a[1], FileAccessKind.Delete),
        // AppArmor wants r and w on a rename's source (its content moves), w on the target.
        "rename" => (p, a) => { File(p, AtFdcwd, a[0], FileAccessKind.Delete | FileAccessKind.Read); File(p, AtFdcwd, a[1], FileAccessKind.Create); },
        "renameat" or "renameat2" => (p, a) => { File(p, Fd(a[0]), a[1], FileAccessKind.Delete | FileAccessKind.Read); File(p, Fd(a[2]), a[3], FileAccessKind.Create); },
        "mkdir" or "mknod" => (p, a) => File(p, AtFdcwd, a[0], FileAccessKind.Create),
        "mkdirat" or "mknodat" => (p, a) => File(p, Fd(a[0]), a[1], FileAccessKind.Create),
        "link" => (p, a) => { File(p, AtFdcwd, a[0], FileAccessKind.Read | FileAccessKind.LinkSource); File(p, AtFdcwd, a[1], FileAccessKind.Create | FileAccessKind.Link); },
        "linkat" => (p, a) => { File(p, Fd(a[0]), a[1], FileAccessKind.Read | FileAccessKind.LinkSource); File(p, Fd(a[2]), a[3], FileAccessKind.Create | FileAccessKind.Link); },
        "flock" => (p, a) => Descriptor(p, Fd(a[0]), FileAccessKind.Lock),
        "fcntl" or "fcntl64" => (p, a) => { if (a[1] is 6 or 7 or 37 or 38) Descriptor(p, Fd(a[0]), FileAccessKind.Lock); },
        "symlink" => (p, a) => File(p, AtFdcwd, a[1], FileAccessKind.Create),
        "symlinkat" => (p, a) => File(p, Fd(a[1]), a[2], FileAccessKind.Create),
        "chmod" or "chown" or "lchown" or "truncate" or "chown32" or "lchown32" or "truncate64" => (p, a) => File(p, AtFdcwd, a[0], FileAccessKind.Write),
        "fchmodat" or "fchmodat2" or "fchownat" => (p, a) => File(p, Fd(a[0]), a[1], FileAccessKind.Write),
        "mmap" or "mmap2" => (p, a) => Mmap(p, a[2], Fd(a[4])),
        "socket" => (_, a) => sink.Socket((int)a[0], (int)a[1], (int)a[2], null, null),
        "bind" => (p, a) => SocketAddress(p, a[1], (int)a[2], bind: true),
        "connect" => (p, a) => SocketAddress(p, a[1], (int)a[2], bind: false),
        _ => null,
    };

    // The kernel takes descriptors as int: a 32-bit caller's AT_FDCWD (-100) arrives zero-extended (0xffffff9c)
    // when the compiler passed it in a 32-bit register, as dash does.
    private static long Fd(ulong register) => unchecked((int)register);

    private void Open(int pid, long dirfd, ulong pathPtr, ulong flags)
    {
        var kind = (flags & 3) switch
        {
            0 => FileAccessKind.Read,
            1 => FileAccessKind.Write,
            _ => FileAccessKind.Read | FileAccessKind.Write,
        };
        if ((flags & 0x40) != 0)
            kind |= FileAccessKind.Create;
        if ((flags & 0x200) != 0)
            kind |= FileAccessKind.Write;
        if ((flags & 0x200000) != 0)
            kind = FileAccessKind.Stat;
        File(pid, dirfd, pathPtr, kind);
    }

    private void Exec(int pid, long dirfd, ulong pathPtr)
    {
        if (Resolve(pid, dirfd, pathPtr, 0) is { Exists: true } target)
        {
            sink.File(target.Path, FileAccessKind.Execute);
            sink.Executable(target.Path);
        }
    }

    private void File(int pid, long dirfd, ulong pathPtr, FileAccessKind kind, int flags = 0)
    {
        // The tracer sees the call on entry; a read of a path that does not exist fails and is not worth a rule.
        if (Resolve(pid, dirfd, pathPtr, flags) is { } target && (target.Exists || (kind & (FileAccessKind.Create | FileAccessKind.Write)) != 0))
            sink.File(target.Path, kind);
    }

    // A file known by its descriptor (locks): its path from /proc/<tid>/fd.
    private void Descriptor(int pid, long fd, FileAccessKind kind)
    {
        if (fd >= 0 && fd <= int.MaxValue && ReadLink($"/proc/{pid}/fd/{fd}") is { } path && path.StartsWith('/'))
            sink.File(path, kind);
    }

    private void Mmap(int pid, ulong prot, long fd)
    {
        const ulong ProtExec = 4;
        if ((prot & ProtExec) == 0 || fd < 0 || fd > int.MaxValue)
            return;
        if (ReadLink($"/proc/{pid}/fd/{fd}") is { } path && path.StartsWith('/'))
            sink.File(path, FileAccessKind.MmapExec);
    }

    private void SocketAddress(int pid, ulong address, int length, bool bind)
    {
        if (TraceeMemory.ReadBytes(pid, address, Math.Min(length, 110)) is not { Length: >= 2 } bytes)
            return;
        var family = bytes[0] | (bytes[1] << 8);
        if (bind && family is SocketNames.AF_INET or SocketNames.AF_INET6 && bytes.Length >= 4)
            sink.Socket(family, 0, 0, (bytes[2] << 8) | bytes[3], null);
        else if (family == SocketNames.AF_UNIX && bytes.Length > 2)
        {
            var raw = bytes.AsSpan(2);
            var abstractName = raw[0] == 0;
            var text = System.Text.Encoding.UTF8.GetString(abstractName ? raw[1..] : raw).Split('\0')[0];
            if (text.Length > 0)
                sink.Socket(family, 0, 0, null, abstractName ? "@" + text : text);
        }
    }

    private (string Path, bool Exists)? Resolve(int pid, long dirfd, ulong pathPtr, int flags)
    {
        var path = TraceeMemory.ReadString(pid, pathPtr);
        if (path is null)
            return null;
        if (path.Length == 0)
            return (flags & AtEmptyPath) != 0 && dirfd >= 0 && ReadLink($"/proc/{pid}/fd/{dirfd}") is { } open ? (open, true) : null;
        string full;
        if (path.StartsWith('/'))
        {
            full = AsTracee(Path.GetFullPath(path), pid);
        }
        else
        {
            var baseDir = dirfd == AtFdcwd ? ReadLink($"/proc/{pid}/cwd") : dirfd >= 0 ? ReadLink($"/proc/{pid}/fd/{dirfd}") : null;
            if (baseDir is null)
                return null;
            full = AsTracee(Path.GetFullPath(Path.Combine(baseDir, path)), pid);
        }
        if (_canonical.TryGetValue(full, out var known))
            return known;
        var canonical = Canonical(full);
        // Only paths that exist are cached: one that is missing now may be created and then read. Nothing under
        // /proc is: a process's fd links change as it opens and closes files.
        if (canonical.Exists && !full.StartsWith("/proc/", StringComparison.Ordinal))
            _canonical[full] = canonical;
        return canonical;
    }

    // Names that mean "this process" mean the tracee, not the recorder that resolves them: /proc/self and
    // /proc/thread-self, and /dev/fd, /dev/stdin, ... which are symlinks into /proc/self/fd.
    internal static string AsTracee(string path, int tid)
    {
        if (path == "/proc/self" || path.StartsWith("/proc/self/", StringComparison.Ordinal))
            return $"/proc/{tid}" + path["/proc/self".Length..];
        if (path == "/proc/thread-self" || path.StartsWith("/proc/thread-self/", StringComparison.Ordinal))
            return $"/proc/{tid}/task/{tid}" + path["/proc/thread-self".Length..];
        if (path.StartsWith("/dev/fd/", StringComparison.Ordinal))
            return $"/proc/{tid}/fd/" + path["/dev/fd/".Length..];
        return path switch
        {
            "/dev/stdin" => $"/proc/{tid}/fd/0",
            "/dev/stdout" => $"/proc/{tid}/fd/1",
            "/dev/stderr" => $"/proc/{tid}/fd/2",
            _ => path,
        };
    }

    // AppArmor mediates the path after symlinks are resolved (/lib -> /usr/lib): record that one. A path that
    // does not exist yet (about to be created) keeps its name under its resolved directory.
    private static (string Path, bool Exists) Canonical(string full)
    {
        if (Native.Libc.RealPath(full) is { } real)
            return (real, true);
        var dir = Path.GetDirectoryName(full);
        return (dir is not null && Native.Libc.RealPath(dir) is { } realDir ? Path.Combine(realDir, Path.GetFileName(full)) : full, false);
    }

    private static ulong ReadU64(int pid, ulong address) =>
        TraceeMemory.ReadBytes(pid, address, 8) is { } b ? BitConverter.ToUInt64(b) : 0;

    private static string? ReadLink(string link)
    {
        try
        {
            return new FileInfo(link).LinkTarget;
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
