using System.Security.Cryptography;
using System.Text;
using Portcullis.Oci.References;

namespace Portcullis.Runtime.Resources;

/// <summary>How objects and files are named, in one place: the webhook, controller and agent must agree.</summary>
public static class ProfileNames
{
    public static string ForArtifact(Digest artifact) => $"{artifact.Algorithm}-{artifact.Hex}";

    /// <summary>Seccomp: the kubelet's localhostProfile, relative to its seccomp root.</summary>
    public static string SeccompLocalhost(string resourceName) => $"{Kubernetes.RuntimeNames.SeccompDirectory}/{resourceName}.json";

    /// <summary>Seccomp for a container with no_new_privs: the variant the agent writes beside the profile.</summary>
    public static string SeccompLocalhostNoNewPrivileges(string resourceName) =>
        $"{Kubernetes.RuntimeNames.SeccompDirectory}/{Kubernetes.RuntimeNames.NoNewPrivilegesDirectory}/{resourceName}.json";

    /// <summary>The resource a seccomp localhostProfile names, either variant; null for a path Portcullis did not make.</summary>
    public static string? SeccompResourceOf(string localhost)
    {
        const string prefix = Kubernetes.RuntimeNames.SeccompDirectory + "/", nnp = Kubernetes.RuntimeNames.NoNewPrivilegesDirectory + "/";
        if (!localhost.StartsWith(prefix, StringComparison.Ordinal) || !localhost.EndsWith(".json", StringComparison.Ordinal))
            return null;
        var name = localhost[prefix.Length..^".json".Length];
        name = name.StartsWith(nnp, StringComparison.Ordinal) ? name[nnp.Length..] : name;
        return name.Length > 0 && !name.Contains('/', StringComparison.Ordinal) ? name : null;
    }

    /// <summary>AppArmor: the name the profile is loaded under (the controller renames the policy to it).</summary>
    public static string AppArmorLocalhost(string resourceName) => "portcullis-" + resourceName;

    /// <summary>The ProfileNodeStatus for one profile on one node; hashed where the plain name would be too long.</summary>
    public static string NodeStatus(ProfileType type, string profile, string node)
    {
        var plain = $"{type.ToString().ToLowerInvariant()}.{profile}.{node}";
        return plain.Length <= 253 ? plain : $"{type.ToString().ToLowerInvariant()}.{profile[..Math.Min(profile.Length, 150)]}.{Hash(node)}";
    }

    /// <summary>A label value (at most 63 characters) standing for a longer name.</summary>
    public static string LabelValue(string name) => name.Length <= 63 ? name : name[..46] + "." + Hash(name)[..16];

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
