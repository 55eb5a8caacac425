using Portcullis.Profiles.Seccomp;

namespace Portcullis.Profiles.Generation;

/// <summary>
/// What a profile is generated from: recordings, other evidence (analysis, the .NET runtime base,
/// overrides), syscalls the user denies, and the target architectures (primary ones; their compat ABIs are
/// added). No targets: the recorded ones, or this machine's.
/// </summary>
public sealed record GenerationRequest
{
    public IReadOnlyList<LabeledRecording> Recordings { get; init; } = [];
    public IReadOnlyList<SyscallEvidence> Evidence { get; init; } = [];
    public IReadOnlyList<string> Deny { get; init; } = [];
    public IReadOnlyList<SeccompArch> Targets { get; init; } = [];

    /// <summary>Allow io_uring when it was recorded or named (off: it bypasses every syscall filter).</summary>
    public bool AllowIoUring { get; init; }

    /// <summary>
    /// The address families (AF_*) socket may create, when they are known: socket is then allowed once per family, and
    /// socketcall (x86's multiplexer, whose arguments sit behind a pointer) not at all. Null: any family.
    /// </summary>
    public IReadOnlyList<int>? SocketFamilies { get; init; }

    /// <summary>The errno of the default action: EPERM, as Docker's default profile.</summary>
    public uint DefaultErrno { get; init; } = 1;
}
