using System.Security.Cryptography;
using k8s.Models;
using Portcullis.Profiles.AppArmor;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Loading;
using Portcullis.Profiles.Seccomp;
using Portcullis.Runtime.Registry;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Controller;

/// <summary>
/// The cluster's rules for profiles that come from images, from the ConfigMap `portcullis-policy`:
/// `forbiddenSyscalls` (names no profile may allow), `allowedRegistries` (hosts profiles may come from;
/// empty: any), `requireSignatures` ("true": a profile needs a signature by one of `signatureKeys`, PEM
/// public keys; seccomp is read by <see cref="UntrustedSeccomp"/> and stored canonical), `forbiddenCapabilities` and `forbiddenNetwork` (what no AppArmor profile may allow, see
/// <see cref="AppArmorConstraints"/>). A profile that breaks them is not installed, and its pods stay gated.
/// AppArmor content is judged and rendered by <see cref="UntrustedAppArmor"/>: nodes get the model, not the text.
/// </summary>
public sealed class ClusterPolicy
{
    public static ClusterPolicy Open { get; } = new([], [], false, []);

    public AppArmorConstraints AppArmor { get; init; } = AppArmorConstraints.None;

    public ClusterPolicy(IReadOnlyCollection<string> forbiddenSyscalls, IReadOnlyCollection<string> allowedRegistries, bool requireSignatures, IReadOnlyList<ECDsa> keys)
    {
        ForbiddenSyscalls = forbiddenSyscalls;
        AllowedRegistries = allowedRegistries;
        RequireSignatures = requireSignatures;
        Keys = keys;
    }

    public IReadOnlyCollection<string> ForbiddenSyscalls { get; }
    public IReadOnlyCollection<string> AllowedRegistries { get; }
    public bool RequireSignatures { get; }
    public IReadOnlyList<ECDsa> Keys { get; }

    public static ClusterPolicy From(V1ConfigMap? map)
    {
        if (map?.Data is not { } data)
            return Open;
        static IReadOnlyCollection<string> List(IDictionary<string, string> d, string key) =>
            d.TryGetValue(key, out var v) ? v.Split([',', '\n', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal) : [];
        var keys = new List<ECDsa>();
        if (data.TryGetValue("signatureKeys", out var pem))
        {
            foreach (var block in pem.Split("-----END PUBLIC KEY-----", StringSplitOptions.RemoveEmptyEntries).Where(b => b.Contains("BEGIN", StringComparison.Ordinal)))
            {
                var key = ECDsa.Create();
                key.ImportFromPem(block + "-----END PUBLIC KEY-----");
                keys.Add(key);
            }
        }
        return new ClusterPolicy(List(data, "forbiddenSyscalls"), List(data, "allowedRegistries").Select(RegistryHost.Normalize).ToHashSet(StringComparer.Ordinal),
            data.TryGetValue("requireSignatures", out var sig) && sig.Trim().Equals("true", StringComparison.OrdinalIgnoreCase), keys)
        {
            AppArmor = new AppArmorConstraints(List(data, "forbiddenCapabilities").ToHashSet(StringComparer.Ordinal), List(data, "forbiddenNetwork").ToHashSet(StringComparer.Ordinal)),
        };
    }

    /// <summary>Why the registry may not supply profiles, or null.</summary>
    public string? CheckRegistry(string registry) =>
        AllowedRegistries.Count == 0 || AllowedRegistries.Contains(RegistryHost.Normalize(registry)) ? null
        : $"profiles from {registry} are not allowed (policy allowedRegistries: {string.Join(", ", AllowedRegistries.Order(StringComparer.Ordinal))})";

    /// <summary>Why the content may not be installed (not a valid profile, or allows what the policy forbids), or null.</summary>
    public string? CheckContent(ProfileType type, string name, byte[] content)
    {
        if (type == ProfileType.AppArmor)
            return CheckAppArmor(name, content);
        SeccompProfile profile;
        try
        {
            profile = UntrustedSeccomp.Read(content, name);
        }
        catch (ProfileException e)
        {
            return e.Diagnostic.ToString();
        }
        if (ForbiddenSyscalls.Count == 0)
            return null;
        static bool Allows(SeccompAction a) => a is SeccompAction.Allow or SeccompAction.Log or SeccompAction.Notify or SeccompAction.Trace;
        // A conditional rule (arguments, Docker's filters) denies only sometimes: it never counts as a deny.
        var allowed = Allows(profile.DefaultAction)
            ? ForbiddenSyscalls.Where(f => !profile.Syscalls.Any(r => !Allows(r.Action) && r.Args.Count == 0 && !r.HasDockerFilters && r.Names.Contains(f)))
            : ForbiddenSyscalls.Where(f => profile.Syscalls.Any(r => Allows(r.Action) && r.Names.Contains(f)));
        var broken = allowed.Order(StringComparer.Ordinal).ToList();
        return broken.Count == 0 ? null : $"allows {string.Join(", ", broken)}, which the cluster policy forbids";
    }

    /// <summary>
    /// The seccomp profile as nodes write it: the canonical serialization of the one reading <see cref="CheckContent"/>
    /// judged (<see cref="UntrustedSeccomp"/>), never the bytes the image carried. Throws a ProfileException on content it refuses.
    /// </summary>
    public static string StoredSeccomp(byte[] content, string name) => UntrustedSeccomp.Canonical(UntrustedSeccomp.Read(content, name));

    private string? CheckAppArmor(string name, byte[] content)
    {
        try
        {
            return AppArmor.Check(UntrustedAppArmor.Read(InputReader.Decode(content, name), name))?.ToString();
        }
        catch (ProfileException e)
        {
            return e.Diagnostic.ToString();
        }
    }

    /// <summary>
    /// The AppArmor policy as the node loads it: rendered from the model (<see cref="UntrustedAppArmor"/>) under the
    /// name pods are bound to, so two images' profiles never share a kernel name. Throws a ProfileException on content <see cref="CheckContent"/> refuses.
    /// </summary>
    public static string RenameAppArmor(byte[] content, string localhostName) =>
        UntrustedAppArmor.Render(UntrustedAppArmor.Read(InputReader.Decode(content, localhostName), localhostName), localhostName);
}
