using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Syscalls;
using Portcullis.Recorder.Observations;

namespace Portcullis.Recorder.Generation;

/// <summary>
/// A seccomp profile from a recording: default SCMP_ACT_ERRNO (EPERM unless told otherwise), the recorded
/// architectures, one allow rule with the recorded syscalls and one with the runtime base (<see cref="RuntimeBase"/>)
/// not already recorded, each rule's comment saying which it is. Canonical output.
/// </summary>
public static class SeccompGenerator
{
    public const string RecordedComment = "recorded";
    public const string BaseComment = "runtime base: what runc/crun do between loading the filter and execve";

    public static SeccompProfile FromRecording(Recording recording, DiagnosticBag diagnostics, uint errno = 1)
    {
        var arches = recording.Architectures.Order().ToList();
        if (arches.Count == 0)
            arches = [SeccompArchitectures.Host];

        var unnamed = recording.Syscalls.Where(s => s.Name is null).ToList();
        foreach (var s in unnamed)
            diagnostics.Add(Diagnostic.Warning(DiagnosticId.LossyConversion, $"syscall number {s.Number} on {SeccompArchitectures.Wire.Name(s.Architecture)} has no name in the table (Linux {SyscallTable.KernelVersion}); a profile can only name syscalls, so it is left out"));

        var recorded = recording.Syscalls.Where(s => s.Name is not null).Select(s => s.Name!).ToHashSet(StringComparer.Ordinal);
        var baseNames = RuntimeBase.Names.Where(n => !recorded.Contains(n) && arches.Any(a => SyscallTable.ExistsOn(n, a))).ToList();

        var rules = new List<SeccompRule>
        {
            new() { Names = recorded.ToValueList(), Action = SeccompAction.Allow, Comment = RecordedComment },
        };
        if (baseNames.Count > 0)
            rules.Add(new SeccompRule { Names = baseNames.ToValueList(), Action = SeccompAction.Allow, Comment = BaseComment });

        return SeccompCanonicalizer.Normalize(new SeccompProfile
        {
            DefaultAction = SeccompAction.Errno,
            DefaultErrnoRet = errno,
            Architectures = arches.ToValueList(),
            Syscalls = rules.Where(r => r.Names.Count > 0).ToValueList(),
        });
    }
}
