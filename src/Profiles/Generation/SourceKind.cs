namespace Portcullis.Profiles.Generation;

/// <summary>Why a generated profile allows a syscall. The report groups by these, in this order.</summary>
public enum SourceKind
{
    /// <summary>Seen while the app's tests ran under the recorder.</summary>
    Recorded,

    /// <summary>Predicted by analysing the app's IL and native libraries.</summary>
    Predicted,

    /// <summary>What every .NET app of this runtime needs, measured on an empty app.</summary>
    DotnetRuntime,

    /// <summary>What runc/crun do between loading the filter and exec'ing the entrypoint.</summary>
    ContainerRuntime,

    /// <summary>Calls the vDSO answers in user space on most hosts but that are real syscalls on others.</summary>
    Vdso,

    /// <summary>Named by the user (PortcullisAllowSyscall, --allow).</summary>
    Override,
}
