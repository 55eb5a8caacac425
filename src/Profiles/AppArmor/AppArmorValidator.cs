using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.AppArmor;

/// <summary>Checks what the model can know without apparmor_parser: names, paths, capabilities, network families.</summary>
public static class AppArmorValidator
{
    private static readonly HashSet<string> Capabilities =
    [
        "chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid", "setuid", "setpcap",
        "linux_immutable", "net_bind_service", "net_broadcast", "net_admin", "net_raw", "ipc_lock", "ipc_owner",
        "sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct", "sys_admin", "sys_boot", "sys_nice",
        "sys_resource", "sys_time", "sys_tty_config", "mknod", "lease", "audit_write", "audit_control", "setfcap",
        "mac_override", "mac_admin", "syslog", "wake_alarm", "block_suspend", "audit_read", "perfmon", "bpf",
        "checkpoint_restore",
    ];

    private static readonly HashSet<string> Families =
    [
        "unix", "inet", "ax25", "ipx", "appletalk", "netrom", "bridge", "atmpvc", "x25", "inet6", "rose", "netbeui",
        "security", "key", "netlink", "packet", "ash", "econet", "atmsvc", "rds", "sna", "irda", "pppox", "wanpipe",
        "llc", "ib", "mpls", "can", "tipc", "bluetooth", "iucv", "rxrpc", "isdn", "phonet", "ieee802154", "caif",
        "alg", "nfc", "vsock", "kcm", "qipcrtr", "smc", "xdp", "mctp",
    ];

    private static readonly HashSet<string> SocketTypes = ["stream", "dgram", "seqpacket", "rdm", "raw", "packet"];

    public static bool IsSocketType(string word) => SocketTypes.Contains(word);

    public static bool IsFamily(string word) => Families.Contains(word);

    public static IReadOnlyList<Diagnostic> Validate(AppArmorProfile profile)
    {
        var found = new List<Diagnostic>();
        if (string.IsNullOrWhiteSpace(profile.Name) || profile.Name.Contains('\n', StringComparison.Ordinal))
            found.Add(Diagnostic.Error(DiagnosticId.AppArmorInvalidName, $"'{profile.Name}' is not a usable profile name", profile.Origin, "name"));
        foreach (var rule in profile.Rules)
        {
            switch (rule)
            {
                case FileRule f when !(f.Path.StartsWith('/') || f.Path.StartsWith("@{", StringComparison.Ordinal) || f.Path.StartsWith("**", StringComparison.Ordinal)):
                    found.Add(Diagnostic.Error(DiagnosticId.AppArmorInvalidPath, $"'{f.Path}' is not an absolute path or glob (file rules start with / or @{{var}})", f.Origin));
                    break;
                case FileRule { Deny: true, Permissions.Exec: { } exec } f when exec != "x":
                    found.Add(Diagnostic.Error(DiagnosticId.AppArmorInvalidPermission, $"'{f.Render()}': a deny rule takes plain 'x', not the exec mode '{exec}'", f.Origin));
                    break;
                case FileRule { Deny: false, Permissions.Exec: "x" } f:
                    found.Add(Diagnostic.Error(DiagnosticId.AppArmorInvalidPermission, $"'{f.Render()}': an allow rule needs an exec mode (ix, px, cx, ux, ...), not plain 'x'", f.Origin));
                    break;
                case CapabilityRule c:
                    foreach (var cap in c.Capabilities.Where(x => !Capabilities.Contains(x)))
                        found.Add(Diagnostic.Error(DiagnosticId.AppArmorUnknownCapability, $"unknown capability '{cap}' (AppArmor spells them lower case without CAP_, e.g. net_bind_service)", c.Origin));
                    break;
                case NetworkRule n:
                    if (n.Family is { } fam && !Families.Contains(fam) && !SocketTypes.Contains(fam))
                        found.Add(Diagnostic.Error(DiagnosticId.AppArmorUnknownNetworkFamily, $"unknown network family '{fam}'", n.Origin));
                    if (n.Type is { } type && !SocketTypes.Contains(type) && !Families.Contains(type) && type is not ("tcp" or "udp" or "icmp"))
                        found.Add(Diagnostic.Error(DiagnosticId.AppArmorUnknownNetworkFamily, $"unknown socket type or protocol '{type}'", n.Origin));
                    break;
            }
        }
        return found;
    }
}
