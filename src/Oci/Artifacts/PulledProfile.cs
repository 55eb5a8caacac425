using Portcullis.Oci.Model;

namespace Portcullis.Oci.Artifacts;

/// <summary>
/// A profile pulled from a registry: its bytes, the artifact it came from, the image manifest it belongs to, and the
/// artifact manifest's own annotations (read from the manifest fetched by digest, not from a referrers listing).
/// </summary>
public sealed record PulledProfile(byte[] Content, Descriptor Artifact, Descriptor Subject, IReadOnlyDictionary<string, string> Annotations);
