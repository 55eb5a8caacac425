namespace Portcullis.Runtime.Resources;

/// <summary>The `SeccompProfile.portcullis.dev` custom resource.</summary>
public sealed class SeccompProfileResource : ProfileResource
{
    public SeccompProfileResource() => Kind = "SeccompProfile";
}
