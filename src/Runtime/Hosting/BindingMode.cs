namespace Portcullis.Runtime.Hosting;

public enum BindingMode
{
    /// <summary>securityContext Localhost profiles written to every node by the agent; pods gated until then.</summary>
    Localhost,

    /// <summary>CRI-O ≥ 1.30 pulls the artifact itself from the pod annotation; no agent, no gate.</summary>
    CriO,
}
