using System.Runtime.InteropServices;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Syscalls;
using Portcullis.Recorder.Launching;
using Portcullis.Recorder.Native;
using Portcullis.Profiles.Recordings;
using static Portcullis.Recorder.Native.Libc;

namespace Portcullis.Recorder.Ebpf;

/// <summary>
/// Records with eBPF: a transient cgroup, the two counter programs attached to raw tracepoints, the
/// launcher joining the cgroup and exec'ing the target. The target runs at full speed; the kernel counts.
/// When the command exits, what it left in the cgroup is killed, the counts are read, the programs are
/// detached and the cgroup removed, on every path out.
/// </summary>
internal static class EbpfSession
{
    public static Task<RecordResult> RunAsync(LauncherCommand launcher, RecordRequest request, CancellationToken cancel) =>
        ChildProcess.OnOwnThread("portcullis-ebpf", () => Run(launcher, request, cancel));

    private static RecordResult Run(LauncherCommand launcher, RecordRequest request, CancellationToken cancel)
    {
        if (RuntimeInformation.OSArchitecture != Architecture.X64)
            throw new EbpfUnavailableException($"the eBPF recorder supports x86_64 kernels only (this is {RuntimeInformation.OSArchitecture})");
        CgroupV2 cgroup;
        try
        {
            cgroup = CgroupV2.Create();
        }
        catch (RecorderException e)
        {
            throw new EbpfUnavailableException(e.Message);
        }

        using var owned = cgroup;
        var btf = KernelBtf();
        int cgroupMap = -1, armed = -1, counts = -1, enterProg = -1, execProg = -1, enterLink = -1, execLink = -1, caps = -1, capsProg = -1, capsLink = -1;
        var notes = new List<string>();
        try
        {
            try
            {
                cgroupMap = BpfSystem.CreateCgroupArrayMap(cgroup.Descriptor);
                armed = BpfSystem.CreateArrayMap(4, 1);
                counts = BpfSystem.CreateArrayMap(8, RecorderPrograms.Abis * RecorderPrograms.SlotsPerAbi);
                enterProg = BpfSystem.LoadRawTracepointProgram(RecorderPrograms.SysEnter(cgroupMap, armed, counts, CompatStatusOffset(btf)), "pcl_sys_enter");
                execProg = BpfSystem.LoadRawTracepointProgram(RecorderPrograms.ProcessExec(cgroupMap, armed), "pcl_exec");
                execLink = BpfSystem.AttachRawTracepoint(execProg, "sched_process_exec");
                enterLink = BpfSystem.AttachRawTracepoint(enterProg, "sys_enter");
            }
            catch (RecorderException e)
            {
                throw new EbpfUnavailableException(e.Message + " (eBPF needs root, or CAP_BPF + CAP_PERFMON and a writable cgroup)");
            }

            try
            {
                var capable = (btf ?? throw new RecorderException("the kernel's BTF (/sys/kernel/btf/vmlinux) cannot be read")).FuncId("bpf_lsm_capable") ?? throw new RecorderException("the kernel's BTF has no bpf_lsm_capable");
                caps = BpfSystem.CreateArrayMap(8, RecorderPrograms.Capabilities);
                capsProg = BpfSystem.LoadLsmProgram(RecorderPrograms.CapabilityCounter(cgroupMap, armed, caps), "pcl_capable", capable);
                capsLink = BpfSystem.AttachRawTracepoint(capsProg, null);
            }
            catch (RecorderException e)
            {
                notes.Add("capabilities are not recorded: the BPF LSM is not usable here (" + e.Message + "; /sys/kernel/security/lsm must list bpf)");
            }

            var pid = Spawner.Spawn(launcher, request.ToLaunch(LaunchMode.Cgroup) with { CgroupProcs = cgroup.Procs });
            var exitCode = WaitWithProgress(pid, counts, request.Progress, cancel);
            var leftRunning = cgroup.ProcessCount();
            cgroup.Dispose();

            var sink = new ObservationSink(Backend.Ebpf);
            ReadCounts(counts, sink);
            if (caps >= 0)
            {
                var checks = BpfSystem.ReadArrayU64(caps, RecorderPrograms.Capabilities);
                for (var cap = 0; cap < checks.Length; cap++)
                {
                    if (checks[cap] > 0)
                        sink.Capability(CapabilityNames.Of(cap));
                }
            }
            // The execve that started the target happened before the session was armed.
            sink.Syscall(SeccompArch.X86_64, SyscallTable.Number("execve", SeccompArch.X86_64)!.Value);
            request.Progress?.Invoke(sink.TotalSyscalls, sink.DistinctSyscalls);
            return new RecordResult(exitCode, sink.Build(request.CommandLine, exitCode), Backend.Ebpf, null) { Notes = notes, Warnings = RecordingWarnings.For(leftRunning, []) };
        }
        finally
        {
            foreach (var fd in new[] { capsLink, capsProg, caps, enterLink, execLink, enterProg, execProg, counts, armed, cgroupMap })
                BpfSystem.Close(fd);
        }
    }

    // task_struct.thread_info.status, when the kernel's BTF can say where it is.
    private static int? CompatStatusOffset(BtfReader? btf) =>
        btf?.MemberOffset("task_struct", "thread_info") is { } info && btf.MemberOffset("thread_info", "status") is { } status ? info + status : null;

    // Read once per session: the capability program and the compat check both need it.
    private static BtfReader? KernelBtf()
    {
        try
        {
            return BtfReader.Kernel();
        }
        catch (RecorderException)
        {
            return null;
        }
    }

    private static int WaitWithProgress(int pid, int counts, Action<long, int>? progress, CancellationToken cancel)
    {
        using var timer = progress is null ? null : new Timer(_ =>
        {
            var sink = new ObservationSink(Backend.Ebpf);
            ReadCounts(counts, sink);
            progress(sink.TotalSyscalls, sink.DistinctSyscalls);
        }, null, 1000, 1000);
        return ChildProcess.Wait(pid, cancel);
    }

    private static void ReadCounts(int counts, ObservationSink sink)
    {
        var arches = new[] { SeccompArch.X86_64, SeccompArch.X86, SeccompArch.X32 };
        var all = BpfSystem.ReadArrayU64(counts, RecorderPrograms.Abis * RecorderPrograms.SlotsPerAbi);
        for (var abi = 0; abi < RecorderPrograms.Abis; abi++)
        {
            for (var nr = 0; nr < RecorderPrograms.SlotsPerAbi; nr++)
            {
                var count = all[abi * RecorderPrograms.SlotsPerAbi + nr];
                if (count > 0)
                    sink.Syscall(arches[abi], abi == RecorderPrograms.AbiX32 ? nr | (int)AuditArch.X32SyscallBit : nr, (long)count);
            }
        }
    }
}
