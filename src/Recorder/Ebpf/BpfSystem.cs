using System.Runtime.InteropServices;
using System.Text;
using Portcullis.Recorder.Native;

namespace Portcullis.Recorder.Ebpf;

/// <summary>The bpf(2) commands the recorder uses: create an array map, load a program, attach it to a raw tracepoint, look up elements.</summary>
internal static unsafe class BpfSystem
{
    private const long SysBpf = 321;
    private const int MapCreate = 0, MapUpdateElem = 2, ProgLoad = 5, RawTracepointOpen = 17, MapLookupBatch = 24;
    private const int MapTypeArray = 2, MapTypeCgroupArray = 8;
    private const int ProgTypeRawTracepoint = 17;
    private const int ProgTypeLsm = 29;
    private const int AttachTypeLsmMac = 27;
    private const int AttrSize = 128;

    public static int CreateArrayMap(int valueSize, int entries)
    {
        var attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)(attr + 0) = MapTypeArray;
        *(uint*)(attr + 4) = 4;
        *(uint*)(attr + 8) = (uint)valueSize;
        *(uint*)(attr + 12) = (uint)entries;
        return Call(MapCreate, attr, "creating a BPF map");
    }

    /// <summary>A one-entry BPF_MAP_TYPE_CGROUP_ARRAY holding the cgroup open as <paramref name="cgroupFd"/>, for bpf_current_task_under_cgroup.</summary>
    public static int CreateCgroupArrayMap(int cgroupFd)
    {
        var attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)(attr + 0) = MapTypeCgroupArray;
        *(uint*)(attr + 4) = 4;
        *(uint*)(attr + 8) = 4;
        *(uint*)(attr + 12) = 1;
        var map = Call(MapCreate, attr, "creating a BPF cgroup array");
        var key = 0u;
        var value = (uint)cgroupFd;
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)(attr + 0) = (uint)map;
        *(ulong*)(attr + 8) = (ulong)&key;
        *(ulong*)(attr + 16) = (ulong)&value;
        Call(MapUpdateElem, attr, "putting the recording cgroup in its BPF map");
        return map;
    }

    public static int LoadRawTracepointProgram(ReadOnlySpan<BpfInstruction> program, string name) =>
        Load(program, name, ProgTypeRawTracepoint, 0, 0);

    /// <summary>A BPF LSM program for the hook whose FUNC bpf_lsm_&lt;hook&gt; has <paramref name="btfId"/> in the kernel's BTF.</summary>
    public static int LoadLsmProgram(ReadOnlySpan<BpfInstruction> program, string name, int btfId) =>
        Load(program, name, ProgTypeLsm, AttachTypeLsmMac, btfId);

    private static int Load(ReadOnlySpan<BpfInstruction> program, string name, int type, int expectedAttachType, int attachBtfId)
    {
        var license = "GPL\0"u8;
        var log = new byte[64 * 1024];
        var attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        fixed (BpfInstruction* insns = program)
        fixed (byte* lic = license)
        fixed (byte* logBuf = log)
        {
            *(uint*)(attr + 0) = (uint)type;
            *(uint*)(attr + 4) = (uint)program.Length;
            *(ulong*)(attr + 8) = (ulong)insns;
            *(ulong*)(attr + 16) = (ulong)lic;
            *(uint*)(attr + 24) = 1;
            *(uint*)(attr + 28) = (uint)log.Length;
            *(ulong*)(attr + 32) = (ulong)logBuf;
            *(uint*)(attr + 68) = (uint)expectedAttachType;
            *(uint*)(attr + 108) = (uint)attachBtfId;
            var nameBytes = Encoding.ASCII.GetBytes(name);
            for (var i = 0; i < Math.Min(15, nameBytes.Length); i++)
                attr[48 + i] = nameBytes[i];
            var fd = (int)Libc.syscall(SysBpf, ProgLoad, (long)attr, AttrSize, 0, 0);
            if (fd < 0)
            {
                var errno = Libc.Errno;
                var verifier = Encoding.ASCII.GetString(log).TrimEnd('\0').Trim();
                throw new RecorderException($"the kernel refused the BPF program {name}: {Libc.Describe(errno)}{(verifier.Length > 0 ? "; verifier: " + verifier : "")}");
            }
            return fd;
        }
    }

    /// <summary>Attaches a raw-tracepoint program (or, with a null name, an LSM/tracing program to its BTF target); closing the returned fd detaches it.</summary>
    public static int AttachRawTracepoint(int programFd, string? tracepoint)
    {
        var name = tracepoint is null ? null : Encoding.ASCII.GetBytes(tracepoint + "\0");
        var attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        fixed (byte* n = name)
        {
            *(ulong*)(attr + 0) = (ulong)n;
            *(uint*)(attr + 8) = (uint)programFd;
            return Call(RawTracepointOpen, attr, tracepoint is null ? "attaching the LSM program" : $"attaching to the {tracepoint} tracepoint");
        }
    }

    /// <summary>Every value of an array map of u64 in one BPF_MAP_LOOKUP_BATCH call (Linux 5.6+), instead of one syscall per element.</summary>
    public static ulong[] ReadArrayU64(int mapFd, int entries)
    {
        var keys = new uint[entries];
        var values = new ulong[entries];
        uint outBatch = 0;
        var attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        fixed (uint* k = keys)
        fixed (ulong* v = values)
        {
            *(ulong*)(attr + 0) = 0;
            *(ulong*)(attr + 8) = (ulong)&outBatch;
            *(ulong*)(attr + 16) = (ulong)k;
            *(ulong*)(attr + 24) = (ulong)v;
            *(uint*)(attr + 32) = (uint)entries;
            *(uint*)(attr + 36) = (uint)mapFd;
            var rc = (int)Libc.syscall(SysBpf, MapLookupBatch, (long)attr, AttrSize, 0, 0);
            // ENOENT (2) with every element read means "no more batches", which is the normal end here.
            if (rc < 0 && Libc.Errno != 2)
                throw new RecorderException($"reading the BPF map failed: {Libc.Describe(Libc.Errno)}");
        }
        var result = new ulong[entries];
        for (var i = 0; i < entries; i++)
        {
            if (keys[i] < entries)
                result[keys[i]] = values[i];
        }
        return result;
    }

    private static int Call(int command, byte* attr, string what)
    {
        var rc = (int)Libc.syscall(SysBpf, command, (long)attr, AttrSize, 0, 0);
        return rc >= 0 ? rc : throw new RecorderException($"{what} failed: {Libc.Describe(Libc.Errno)}");
    }

    public static void Close(int fd)
    {
        if (fd >= 0)
            Libc.close(fd);
    }
}
