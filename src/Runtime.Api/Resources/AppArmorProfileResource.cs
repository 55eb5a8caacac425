namespace Portcullis.Runtime.Resources;

/// <summary>The `AppArmorProfile.portcullis.dev` custom resource.</summary>
public sealed class AppArmorProfileResource : ProfileResource
{
    public AppArmorProfileResource() => Kind = "AppArmorProfile";
}
