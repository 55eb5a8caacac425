namespace Portcullis.Profiles.Loading;

public enum SourceFormat
{
    /// <summary>runtime-spec linux.seccomp JSON (also Docker's and containers/common's profiles).</summary>
    OciSeccomp,

    /// <summary>an OCI runtime config.json; its linux.seccomp is the profile.</summary>
    RuntimeConfig,

    /// <summary>Security Profiles Operator custom resources (YAML or JSON).</summary>
    Spo,

    /// <summary>AppArmor policy text.</summary>
    AppArmorPolicy,
}
