namespace Portcullis.Oci.Signing;

/// <summary>
/// How a profile artifact is signed (see docs/signing.md): a referrer of the artifact manifest, shaped as
/// cosign's OCI 1.1 signatures are: artifactType <see cref="ArtifactType"/>, the empty config, one layer of
/// media type <see cref="PayloadMediaType"/> holding a simple-signing payload, and the base64 DER ECDSA
/// P-256/SHA-256 signature of that payload's bytes in the layer annotation <see cref="SignatureAnnotation"/>.
/// </summary>
public static class SignatureFormat
{
    public const string ArtifactType = "application/vnd.dev.cosign.artifact.sig.v1+json";
    public const string PayloadMediaType = "application/vnd.dev.cosign.simplesigning.v1+json";
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";
    public const string PayloadType = "cosign container image signature";
    public const long MaxPayloadBytes = 64 * 1024;
}
