using Portcullis.Oci.References;

namespace Portcullis.Runtime.Registry;

/// <summary>An image as the webhook binds it: pinned to the manifest its profiles refer to, and those profiles.</summary>
public sealed record ResolvedImage(ImageReference Pinned, string? Platform, FoundProfile? Seccomp, FoundProfile? AppArmor);
