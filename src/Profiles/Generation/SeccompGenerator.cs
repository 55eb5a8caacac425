using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Syscalls;

namespace Portcullis.Profiles.Generation;

/// <summary>
/// A seccomp profile from recordings and other evidence: recorded ∪ evidence ∪ container-runtime base ∪ vDSO
/// calls − denied (and − io_uring unless asked), translated by name for target architectures that lack a
/// recorded syscall. Default action SCMP_ACT_ERRNO (EPERM); syscalls newer than anything allowed get
/// ENOSYS instead, because glibc and the .NET runtime probe clone3, openat2, close_range, ... and fall
/// back only on ENOSYS. One allow rule per kind of reason, each rule's comment saying which. Canonical.
/// </summary>
public static class SeccompGenerator
{
    public const string RecordedComment = "recorded";
    public const string BaseComment = "container runtime base: what runc/crun do between loading the filter and execve";
    public const string EnosysComment = "newer than anything allowed: ENOSYS, so that callers fall back";

    public const string CloneComment = "clone without namespace flags (CLONE_NEW*); clone3 answers ENOSYS";

    public const string SocketComment = "socket only for the address families the app can ask for";

    private const uint Enosys = 38;

    // CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET
    private const ulong NamespaceFlags = 0x7E020000;

    // Syscall numbers at or above this on x86_64 are x32's or unassigned; new syscalls share one number on every architecture since 424.
    private const int X8664Limit = 512;

    public static GeneratedSeccomp Generate(GenerationRequest request, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(request);
        var targets = Targets(request);
        var arches = targets.SelectMany(t => t.SubArchitectures().Prepend(t)).Distinct().Order().ToList();
        var reasons = new Dictionary<string, List<SyscallReason>>(StringComparer.Ordinal);
        void Add(string name, SourceKind kind, string detail)
        {
            if (!reasons.TryGetValue(name, out var list))
                reasons[name] = list = [];
            if (!list.Contains(new SyscallReason(kind, detail)))
                list.Add(new SyscallReason(kind, detail));
        }

        foreach (var (source, recording) in request.Recordings.Select(r => (r.Source, r.Recording)))
        {
            foreach (var s in recording.Syscalls)
            {
                if (s.Name is null)
                    diagnostics.Add(Diagnostic.Warning(DiagnosticId.LossyConversion, $"syscall number {s.Number} on {SeccompArchitectures.Wire.Name(s.Architecture)} has no name in the table (Linux {SyscallTable.KernelVersion}); a profile can only name syscalls, so it is left out"));
                else
                    Add(s.Name, SourceKind.Recorded, source);
            }
        }
        foreach (var e in request.Evidence)
        {
            if (!SyscallTable.Exists(e.Name))
                diagnostics.Add(Diagnostic.Warning(DiagnosticId.UnknownSyscall, $"'{e.Name}' ({e.Kind}: {e.Detail}) is not a syscall of any architecture; ignored"));
            else
                Add(e.Name, e.Kind, e.Detail);
        }
        foreach (var name in ContainerRuntimeBase.Names)
            Add(name, SourceKind.ContainerRuntime, ContainerRuntimeBase.Versions);
        foreach (var name in VdsoBase.Names)
            Add(name, SourceKind.Vdso, "vDSO fallback");

        var translations = new List<ArchTranslation>();
        foreach (var target in targets)
        {
            foreach (var (name, why) in reasons.ToList())
            {
                var to = ArchTranslation.For(name, target);
                if (to.Count == 0)
                    continue;
                translations.Add(new ArchTranslation(name, target, to));
                foreach (var n in to)
                    foreach (var r in why)
                        Add(n, r.Kind, $"{r.Detail} (as {name} on another architecture)");
            }
        }

        var leftOut = new List<string>();
        foreach (var name in request.Deny)
        {
            if (reasons.Remove(name))
                leftOut.Add(name);
        }
        if (!request.AllowIoUring)
        {
            foreach (var name in IoUring.Names)
            {
                if (reasons.Remove(name))
                {
                    leftOut.Add(name);
                    diagnostics.Add(Diagnostic.Warning(DiagnosticId.IoUringDenied, $"{name} was seen, but io_uring operations bypass seccomp and the recorders; the profile denies it (allow it explicitly to keep it)"));
                }
            }
        }

        // Only names that exist on a target family stay: the rest would be ignored by libseccomp anyway. Reasons of one
        // kind keep the order they came in (analysis gives its shortest paths first), so the report leads with the best.
        var allowed = reasons.Where(r => targets.Any(t => ArchTranslation.ExistsOnFamily(r.Key, t)))
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .ToDictionary(r => r.Key, r => (IReadOnlyList<SyscallReason>)r.Value.OrderBy(x => x.Kind).ToList(), StringComparer.Ordinal);

        // No new namespaces (what user-namespace exploits start from): clone only without CLONE_NEW* flags, and clone3,
        // whose flags sit behind a pointer a filter cannot read, answering ENOSYS so that glibc falls back to clone, as
        // Docker's default profile does. Where clone's flags are not its first argument (s390x), or the user named
        // clone or clone3 themselves, both stay as they are.
        var restrictClone = allowed.ContainsKey("clone") && targets.All(t => t is SeccompArch.X86_64 or SeccompArch.Aarch64)
            && !Overridden(request, "clone") && !Overridden(request, "clone3");
        if (restrictClone)
            allowed.Remove("clone3");

        // Sockets only of the families the app can ask for: most of the kernel's socket code (packet, vsock, alg, tipc,
        // rds, ...) is then out of reach. socketcall would create any family behind the filter's back, so it goes.
        var families = request.SocketFamilies is { } known && allowed.ContainsKey("socket") && !Overridden(request, "socket")
            ? known.Distinct().Order().ToList() : null;
        if (families is not null && !Overridden(request, "socketcall"))
            allowed.Remove("socketcall");

        var newest = allowed.Keys.Select(n => SyscallTable.Number(n, SeccompArch.X86_64) ?? -1).Where(n => n < X8664Limit).DefaultIfEmpty(-1).Max();
        var enosys = SyscallTable.NamesOn(SeccompArch.X86_64)
            .Where(n => SyscallTable.Number(n, SeccompArch.X86_64) is { } nr && nr > newest && nr < X8664Limit)
            .Append("clone3")
            .Where(n => !allowed.ContainsKey(n) && !request.Deny.Contains(n, StringComparer.Ordinal) && !IoUring.Names.Contains(n))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        // A name's rule is its first reason other than the container runtime's: the runtime's rule then holds only the
        // names nothing else needs, the part a node that knows its runtime may tailor (ContainerRuntimePart).
        var rules = allowed.Where(a => !(restrictClone && a.Key == "clone") && !(families is not null && a.Key == "socket")).GroupBy(a => a.Value.FirstOrDefault(r => r.Kind != SourceKind.ContainerRuntime)?.Kind ?? SourceKind.ContainerRuntime)
            .Select(g => new SeccompRule { Names = g.Select(a => a.Key).ToValueList(), Action = SeccompAction.Allow, Comment = Comment(g.Key) })
            .ToList();
        if (restrictClone)
            rules.Add(new SeccompRule { Names = ["clone"], Action = SeccompAction.Allow, Args = [new SeccompArgCondition(0, NamespaceFlags, 0, SeccompOperator.MaskedEqual)], Comment = CloneComment });
        foreach (var family in families ?? [])
            rules.Add(new SeccompRule { Names = ["socket"], Action = SeccompAction.Allow, Args = [new SeccompArgCondition(0, (ulong)family, 0, SeccompOperator.Equal)], Comment = SocketComment });
        if (enosys.Count > 0)
            rules.Add(new SeccompRule { Names = enosys.ToValueList(), Action = SeccompAction.Errno, ErrnoRet = Enosys, Comment = EnosysComment });

        var profile = SeccompCanonicalizer.Normalize(new SeccompProfile
        {
            DefaultAction = SeccompAction.Errno,
            DefaultErrnoRet = request.DefaultErrno,
            Architectures = arches.ToValueList(),
            Syscalls = rules.ToValueList(),
        });
        return new GeneratedSeccomp(profile, allowed, translations, enosys, leftOut);
    }

    private static bool Overridden(GenerationRequest request, string name) => request.Evidence.Any(e => e.Kind == SourceKind.Override && e.Name == name);

    public static string Comment(SourceKind kind) => kind switch
    {
        SourceKind.Recorded => RecordedComment,
        SourceKind.Predicted => "predicted by analysis of the app",
        SourceKind.DotnetRuntime => ".NET runtime base: what every .NET app needs",
        SourceKind.ContainerRuntime => BaseComment,
        SourceKind.Vdso => "vDSO calls: real syscalls on hosts without a vDSO clock",
        _ => "allowed by the user",
    };

    private static List<SeccompArch> Targets(GenerationRequest request)
    {
        IEnumerable<SeccompArch> chosen = request.Targets.Count > 0 ? request.Targets
            : request.Recordings.SelectMany(r => r.Recording.Architectures).Select(Primary).Distinct().ToList() is { Count: > 0 } recorded ? recorded
            : [SeccompArchitectures.Host];
        return chosen.Select(Primary).Distinct().Order().ToList();
    }

    // X86 and X32 calls recorded on an x86_64 host belong to that family, as ARM to AARCH64.
    private static SeccompArch Primary(SeccompArch arch) => arch switch
    {
        SeccompArch.X86 or SeccompArch.X32 => SeccompArchitectures.Host == SeccompArch.X86_64 ? SeccompArch.X86_64 : arch,
        SeccompArch.Arm => SeccompArchitectures.Host == SeccompArch.Aarch64 ? SeccompArch.Aarch64 : arch,
        _ => arch,
    };
}
