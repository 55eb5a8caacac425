using Portcullis.Profiles.Documents;
using Portcullis.Profiles.Seccomp;
using Portcullis.Recorder.Native;

namespace Portcullis.Recorder.Enforcing;

/// <summary>
/// Compiles a runtime-spec seccomp profile with libseccomp and loads it on the calling thread, following
/// runc: names libseccomp cannot resolve are skipped, rules whose action is the default are skipped, the
/// native architecture stays in the filter. In complain mode every action that would stop a syscall
/// (errno, kill, trap) becomes SCMP_ACT_TRACE, so a tracer sees it and the program goes on.
/// </summary>
public static unsafe class LibseccompFilter
{
    public static void Load(string profileJson, bool complain)
    {
        var profile = SeccompReader.Read(JsonDocReader.Read(System.Text.Encoding.UTF8.GetBytes(profileJson), "profile"), new FieldReader());
        var ctx = Libseccomp.seccomp_init(Action(profile.DefaultAction, profile.DefaultErrnoRet, complain));
        if (ctx == IntPtr.Zero)
            throw new RecorderException("libseccomp refused the default action");
        try
        {
            foreach (var arch in profile.Architectures.Where(a => a != SeccompArch.Native))
            {
                var token = Libseccomp.seccomp_arch_resolve_name(LibseccompArchName(arch));
                var rc = token == 0 ? -22 : Libseccomp.seccomp_arch_add(ctx, token);
                if (rc != 0 && rc != -17)
                    throw new RecorderException($"libseccomp cannot add architecture {SeccompArchitectures.Wire.Name(arch)}");
            }

            var defaultAction = Action(profile.DefaultAction, profile.DefaultErrnoRet, complain);
            var args = stackalloc Libseccomp.ArgCmp[6];
            foreach (var rule in profile.Syscalls)
            {
                var action = Action(rule.Action, rule.ErrnoRet, complain);
                if (action == defaultAction || rule.Args.Count > 6)
                    continue;
                for (var i = 0; i < rule.Args.Count; i++)
                    args[i] = new Libseccomp.ArgCmp { Arg = rule.Args[i].Index, Op = Operator(rule.Args[i].Operator), DatumA = rule.Args[i].Value, DatumB = rule.Args[i].ValueTwo };
                foreach (var name in rule.Names)
                {
                    var nr = Libseccomp.seccomp_syscall_resolve_name(name);
                    if (nr == -1)
                        continue;
                    var rc = Libseccomp.seccomp_rule_add_array(ctx, action, nr, (uint)rule.Args.Count, args);
                    if (rc != 0)
                        throw new RecorderException($"libseccomp refused the rule for '{name}' (error {-rc})");
                }
            }

            var load = Libseccomp.seccomp_load(ctx);
            if (load != 0)
                throw new RecorderException($"loading the seccomp filter failed (error {-load})");
        }
        finally
        {
            Libseccomp.seccomp_release(ctx);
        }
    }

    private static uint Action(SeccompAction action, uint? errno, bool complain) => action switch
    {
        SeccompAction.Allow => Libseccomp.SCMP_ACT_ALLOW,
        SeccompAction.Log => Libseccomp.SCMP_ACT_LOG,
        _ when complain => Libseccomp.SCMP_ACT_TRACE | (uint)action,
        SeccompAction.Errno => Libseccomp.SCMP_ACT_ERRNO | ((errno ?? 1) & 0xffff),
        SeccompAction.Trace => Libseccomp.SCMP_ACT_TRACE | ((errno ?? 0) & 0xffff),
        SeccompAction.Trap => Libseccomp.SCMP_ACT_TRAP,
        SeccompAction.Notify => Libseccomp.SCMP_ACT_NOTIFY,
        SeccompAction.KillProcess => Libseccomp.SCMP_ACT_KILL_PROCESS,
        _ => Libseccomp.SCMP_ACT_KILL_THREAD,
    };

    // enum scmp_compare (seccomp.h): SCMP_CMP_NE = 1 ... SCMP_CMP_MASKED_EQ = 7.
    private static int Operator(SeccompOperator op) => op switch
    {
        SeccompOperator.NotEqual => 1,
        SeccompOperator.LessThan => 2,
        SeccompOperator.LessOrEqual => 3,
        SeccompOperator.Equal => 4,
        SeccompOperator.GreaterOrEqual => 5,
        SeccompOperator.GreaterThan => 6,
        SeccompOperator.MaskedEqual => 7,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static string LibseccompArchName(SeccompArch arch) =>
        SeccompArchitectures.Wire.Name(arch)["SCMP_ARCH_".Length..].ToLowerInvariant();
}
