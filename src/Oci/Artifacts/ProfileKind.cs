namespace Portcullis.Oci.Artifacts;

public enum ProfileKind
{
    Seccomp,
    AppArmor,
}
