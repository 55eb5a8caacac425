using Portcullis.Oci.Model;

namespace Portcullis.Oci.Artifacts;

/// <summary>A profile pulled from a registry: its bytes, the artifact it came from, and the image manifest it belongs to.</summary>
public sealed record PulledProfile(byte[] Content, Descriptor Artifact, Descriptor Subject);
