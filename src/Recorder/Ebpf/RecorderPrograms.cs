namespace Portcullis.Recorder.Ebpf;

/// <summary>
/// The programs of the eBPF backend (x86_64 kernels).
/// <para>Every program first asks bpf_current_task_under_cgroup whether the task is in the recording cgroup or
/// one below it (a command may move its processes into child cgroups), against a one-entry cgroup array.</para>
/// <para>sys_enter (raw tracepoint; ctx args[0] = struct pt_regs *, args[1] = syscall number): when the task is
/// under the recording cgroup and the session is armed, adds one to counts[abi * 4096 + nr]. x32 calls carry bit
/// 30 in the number; i386 calls have TS_COMPAT in the task's thread_info.status (int 0x80 from a 64-bit process
/// included), or, where the kernel's BTF does not say where that is, come from the 32-bit code segment (regs->cs == 0x23). Numbers of 4095
/// and above share slot 4095.</para>
/// <para>sched_process_exec: when the launcher's execve in the recording cgroup completes, arms the session, so
/// the launcher's own start-up is never counted (nor the execve that started the target, which the caller adds).</para>
/// <para>capable (BPF LSM hook; ctx args: cred, user namespace, cap, opts): counts each capability the
/// recorded tasks have checked, in capabilities[cap].</para>
/// </summary>
internal static class RecorderPrograms
{
    public const int Capabilities = 64;
    public const int SlotsPerAbi = 4096;
    public const int Abis = 3;
    public const int AbiX86_64 = 0, AbiI386 = 1, AbiX32 = 2;

    private const int HelperMapLookup = 1;
    private const int HelperUnderCgroup = 37;
    private const int HelperProbeReadKernel = 113;
    private const int HelperCurrentTask = 35;
    private const int TsCompat = 0x0002;
    private const int X32Bit = 0x40000000;
    private const short PtRegsCs = 17 * 8;
    private const int User32Cs = 0x23;

    /// <param name="compatStatusOffset">Where task_struct's thread_info.status lies (from the kernel's BTF): its TS_COMPAT
    /// bit marks every 32-bit call, int 0x80 from a 64-bit process included. Null: fall back to the code segment,
    /// which only tells 32-bit processes.</param>
    public static BpfInstruction[] SysEnter(int cgroupMap, int armedMap, int countsMap, int? compatStatusOffset = null)
    {
        var a = RecordedAndArmed(cgroupMap, armedMap)
            .LoadDw(BpfAssembler.R7, BpfAssembler.R6, 8)
            .MovImm(BpfAssembler.R8, AbiX86_64 * SlotsPerAbi)
            .Mov(BpfAssembler.R1, BpfAssembler.R7)
            .AndImm(BpfAssembler.R1, X32Bit)
            .JumpIfEqual(BpfAssembler.R1, 0, "not_x32")
            .MovImm(BpfAssembler.R8, AbiX32 * SlotsPerAbi)
            .AndImm(BpfAssembler.R7, ~X32Bit)
            .Goto("index")
            .Label("not_x32");
        if (compatStatusOffset is { } offset)
        {
            a.CallHelper(HelperCurrentTask)
                .Mov(BpfAssembler.R3, BpfAssembler.R0)
                .AddImm(BpfAssembler.R3, offset);
            ReadKernelToStack(a, 4, "index")
                .LoadW(BpfAssembler.R1, BpfAssembler.R10, -16)
                .AndImm(BpfAssembler.R1, TsCompat)
                .JumpIfEqual(BpfAssembler.R1, 0, "index");
        }
        else
        {
            a.LoadDw(BpfAssembler.R3, BpfAssembler.R6, 0)
                .AddImm(BpfAssembler.R3, PtRegsCs);
            ReadKernelToStack(a, 8, "index")
                .LoadDw(BpfAssembler.R1, BpfAssembler.R10, -16)
                .JumpIfNotEqual(BpfAssembler.R1, User32Cs, "index");
        }
        a.MovImm(BpfAssembler.R8, AbiI386 * SlotsPerAbi)
            .Label("index")
            .JumpIfGreater(BpfAssembler.R7, SlotsPerAbi - 2, "overflow")
            .Goto("count")
            .Label("overflow")
            .MovImm(BpfAssembler.R7, SlotsPerAbi - 1)
            .Label("count")
            .Add(BpfAssembler.R7, BpfAssembler.R8);
        return CountAndExit(a, countsMap).Build();
    }

    public static BpfInstruction[] CapabilityCounter(int cgroupMap, int armedMap, int capabilitiesMap)
    {
        var a = RecordedAndArmed(cgroupMap, armedMap)
            .LoadDw(BpfAssembler.R7, BpfAssembler.R6, 16)
            .JumpIfGreater(BpfAssembler.R7, Capabilities - 1, "out");
        return CountAndExit(a, capabilitiesMap).Build();
    }

    public static BpfInstruction[] ProcessExec(int cgroupMap, int armedMap)
    {
        var a = new BpfAssembler();
        UnderCgroup(a, cgroupMap);
        LookupSlotZero(a, armedMap)
            .MovImm(BpfAssembler.R1, 1)
            .StoreW(BpfAssembler.R0, 0, BpfAssembler.R1)
            .Label("out")
            .MovImm(BpfAssembler.R0, 0)
            .ExitProgram();
        return a.Build();
    }

    // r6 = ctx; continues only for a task under the recording cgroup once the session is armed, else jumps to "out".
    private static BpfAssembler RecordedAndArmed(int cgroupMap, int armedMap)
    {
        var a = new BpfAssembler();
        a.Mov(BpfAssembler.R6, BpfAssembler.R1);
        UnderCgroup(a, cgroupMap);
        return LookupSlotZero(a, armedMap)
            .LoadW(BpfAssembler.R1, BpfAssembler.R0, 0)
            .JumpIfEqual(BpfAssembler.R1, 0, "out");
    }

    // bpf_probe_read_kernel(stack - 16, size, r3): the kernel memory r3 points at, onto the stack; on failure jump to onError.
    private static BpfAssembler ReadKernelToStack(BpfAssembler a, int size, string onError) =>
        a.Mov(BpfAssembler.R1, BpfAssembler.R10)
            .AddImm(BpfAssembler.R1, -16)
            .MovImm(BpfAssembler.R2, size)
            .CallHelper(HelperProbeReadKernel)
            .JumpIfNotEqual(BpfAssembler.R0, 0, onError);

    // bpf_current_task_under_cgroup(cgroup array, 0) is 1 for the recording cgroup and its descendants.
    private static BpfAssembler UnderCgroup(BpfAssembler a, int cgroupMap) =>
        a.LoadMap(BpfAssembler.R1, cgroupMap)
            .MovImm(BpfAssembler.R2, 0)
            .CallHelper(HelperUnderCgroup)
            .JumpIfNotEqual(BpfAssembler.R0, 1, "out");

    // map[r7] += 1 (atomically), then the "out" label: return 0.
    private static BpfAssembler CountAndExit(BpfAssembler a, int map) =>
        a.StoreW(BpfAssembler.R10, -8, BpfAssembler.R7)
            .Mov(BpfAssembler.R2, BpfAssembler.R10)
            .AddImm(BpfAssembler.R2, -8)
            .LoadMap(BpfAssembler.R1, map)
            .CallHelper(HelperMapLookup)
            .JumpIfEqual(BpfAssembler.R0, 0, "out")
            .MovImm(BpfAssembler.R1, 1)
            .AtomicAddDw(BpfAssembler.R0, 0, BpfAssembler.R1)
            .Label("out")
            .MovImm(BpfAssembler.R0, 0)
            .ExitProgram();

    // r0 = &map[0], or jump to "out" when the lookup fails.
    private static BpfAssembler LookupSlotZero(BpfAssembler a, int map) =>
        a.StoreImmW(BpfAssembler.R10, -4, 0)
            .Mov(BpfAssembler.R2, BpfAssembler.R10)
            .AddImm(BpfAssembler.R2, -4)
            .LoadMap(BpfAssembler.R1, map)
            .CallHelper(HelperMapLookup)
            .JumpIfEqual(BpfAssembler.R0, 0, "out");
}
