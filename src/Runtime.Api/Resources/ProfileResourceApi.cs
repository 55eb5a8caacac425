using Portcullis.Runtime.Kubernetes;

namespace Portcullis.Runtime.Resources;

/// <summary>API calls on a profile whose type is known only at run time (the API client needs the concrete type).</summary>
public static class ProfileResourceApi
{
    public static async Task<ProfileResource> CreateProfileAsync(this IClusterApi api, ProfileResource profile, CancellationToken cancel) => profile switch
    {
        SeccompProfileResource s => await api.CreateAsync(s, cancel).ConfigureAwait(false),
        AppArmorProfileResource a => await api.CreateAsync(a, cancel).ConfigureAwait(false),
        _ => throw new ArgumentException(profile.GetType().Name),
    };

    public static async Task<ProfileResource> ReplaceProfileAsync(this IClusterApi api, ProfileResource profile, CancellationToken cancel) => profile switch
    {
        SeccompProfileResource s => await api.ReplaceAsync(s, cancel).ConfigureAwait(false),
        AppArmorProfileResource a => await api.ReplaceAsync(a, cancel).ConfigureAwait(false),
        _ => throw new ArgumentException(profile.GetType().Name),
    };

    public static Task DeleteProfileAsync(this IClusterApi api, ProfileResource profile, CancellationToken cancel) => profile switch
    {
        SeccompProfileResource => api.DeleteAsync<SeccompProfileResource>(null, profile.Metadata.Name, cancel),
        _ => api.DeleteAsync<AppArmorProfileResource>(null, profile.Metadata.Name, cancel),
    };
}
