namespace Portcullis.Oci.Artifacts;

/// <summary>
/// The artifact format decided in ARCHITECTURE.md: an OCI image manifest whose config media type and
/// artifactType name the profile kind (the strings CRI-O and KEP-6061 use), one layer with the raw profile,
/// the image manifest as subject.
/// </summary>
public static class ProfileArtifactFormat
{
    public const string SeccompType = "application/vnd.cncf.seccomp-profile.config.v1+json";
    public const string AppArmorType = "application/vnd.cncf.apparmor-profile.config.v1+json";

    /// <summary>The layer's media type. CRI-O reads the first layer whatever its type; this is the type its examples use.</summary>
    public const string LayerMediaType = "application/vnd.oci.image.layer.v1.tar";

    public const long MaxProfileBytes = 1024 * 1024;

    public const string Created = "org.opencontainers.image.created";
    public const string Title = "org.opencontainers.image.title";
    public const string Generator = "dev.portcullis.generator";
    public const string AllowedSyscalls = "dev.portcullis.allowed-syscalls";
    public const string Sources = "dev.portcullis.sources";

    /// <summary>
    /// Seccomp: the names the profile allows only for the container runtime (comma-separated). A node that knows its
    /// runtime removes those that runtime does not make after loading the filter; it never adds any.
    /// </summary>
    public const string ContainerRuntimeNames = "dev.portcullis.container-runtime-names";

    /// <summary>The digest of the profile the layer holds: attaching the same profile to the same image again is a no-op.</summary>
    public const string ProfileDigest = "dev.portcullis.profile.digest";

    public static string ArtifactType(ProfileKind kind) => kind == ProfileKind.Seccomp ? SeccompType : AppArmorType;

    public static string FileName(ProfileKind kind) => kind == ProfileKind.Seccomp ? "seccomp.json" : "apparmor.profile";
}
