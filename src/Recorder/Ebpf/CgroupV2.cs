using System.Runtime.InteropServices;
using Portcullis.Recorder.Native;

namespace Portcullis.Recorder.Ebpf;

/// <summary>
/// A transient cgroup v2 for one recording. The cgroup2 mount is found in /proc/self/mountinfo (it may be
/// /sys/fs/cgroup or, on a hybrid layout, /sys/fs/cgroup/unified). Its id, which bpf_get_current_cgroup_id
/// returns, is the inode number of its directory. Disposing kills what is left in it and removes it.
/// </summary>
internal sealed partial class CgroupV2 : IDisposable
{
    private CgroupV2(string path, ulong id)
    {
        Path = path;
        Id = id;
    }

    public string Path { get; }
    public ulong Id { get; }
    public string Procs => System.IO.Path.Combine(Path, "cgroup.procs");

    public static string? FindMount()
    {
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // "36 25 0:30 / /sys/fs/cgroup/unified rw,... - cgroup2 cgroup2 rw"
            var dash = line.IndexOf(" - ", StringComparison.Ordinal);
            if (dash < 0 || !line.AsSpan(dash + 3).StartsWith("cgroup2 "))
                continue;
            var fields = line[..dash].Split(' ');
            return fields.Length > 4 ? fields[4].Replace("\\040", " ", StringComparison.Ordinal) : null;
        }
        return null;
    }

    public static CgroupV2 Create()
    {
        var mount = FindMount() ?? throw new RecorderException("no cgroup2 file system is mounted (see /proc/self/mountinfo)");
        var path = System.IO.Path.Combine(mount, $"portcullis-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RecorderException($"cannot create a cgroup under {mount}: {e.Message}");
        }
        return new CgroupV2(path, Inode(path));
    }

    public void Dispose()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                var left = File.ReadAllText(Procs).Trim();
                if (left.Length > 0)
                {
                    if (File.Exists(System.IO.Path.Combine(Path, "cgroup.kill")))
                        File.WriteAllText(System.IO.Path.Combine(Path, "cgroup.kill"), "1");
                    else
                        foreach (var pid in left.Split('\n'))
                            Libc.kill(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture), Libc.SIGKILL);
                    Thread.Sleep(10);
                    continue;
                }
                Directory.Delete(Path);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(10);
            }
        }
    }

    private static unsafe ulong Inode(string path)
    {
        // struct stat on x86_64 and the generic layout (arm64): st_dev (8 bytes), then st_ino (8 bytes).
        var buffer = stackalloc byte[256];
        if (Stat(path, buffer) != 0)
            throw new RecorderException($"cannot stat {path}: {Libc.Describe(Libc.Errno)}");
        return *(ulong*)(buffer + 8);
    }

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Stat(string path, byte* buffer);
}
