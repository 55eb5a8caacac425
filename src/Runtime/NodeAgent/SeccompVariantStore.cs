using Portcullis.Profiles.Generation;
using Portcullis.Runtime.Kubernetes;

namespace Portcullis.Runtime.NodeAgent;

/// <summary>
/// A node's seccomp profiles, each in two variants: <c>portcullis/&lt;name&gt;.json</c> for containers without
/// no_new_privs (Kubernetes' default) and <c>portcullis/nnp/&lt;name&gt;.json</c> for containers with it. For a node
/// whose OCI runtime was probed (<see cref="ContainerRuntimeBase"/>), each variant keeps only the runtime-only names
/// that runtime makes after loading the filter; otherwise both are the profile as the cluster holds it.
/// </summary>
public sealed class SeccompVariantStore(ProfileFileStore privileged)
{
    public ProfileFileStore Privileged { get; } = privileged;

    public ProfileFileStore NoNewPrivileges { get; } = new(Path.Combine(privileged.Directory, RuntimeNames.NoNewPrivilegesDirectory), privileged.Extension);

    /// <summary>Writes both variants for the node's runtime (null: not known); true when either file changed.</summary>
    public bool Write(string name, byte[] content, IReadOnlyList<string>? runtimeOnly, string? runtime)
    {
        var names = ContainerRuntimePart.Parse(string.Join(',', runtimeOnly ?? []));
        var forPrivileged = ContainerRuntimePart.NodeFile(content, name, names, ContainerRuntimeBase.ForName(runtime, noNewPrivileges: false));
        var forNnp = ContainerRuntimePart.NodeFile(content, name, names, ContainerRuntimeBase.ForName(runtime, noNewPrivileges: true));
        var wrote = NoNewPrivileges.Write(name, forNnp);
        return Privileged.Write(name, forPrivileged) | wrote;
    }

    public IReadOnlyList<string> Names() => Privileged.Names().Union(NoNewPrivileges.Names(), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public void Remove(string name)
    {
        NoNewPrivileges.Remove(name);
        Privileged.Remove(name);
    }

    public int RemoveStaleTemps() => Privileged.RemoveStaleTemps() + NoNewPrivileges.RemoveStaleTemps();

    public void RemoveAll()
    {
        NoNewPrivileges.RemoveAll();
        Privileged.RemoveAll();
    }
}
