namespace Portcullis.Runtime.Kubernetes;

/// <summary>Every name Portcullis puts into a cluster: API group, labels, annotations, the scheduling gate.</summary>
public static class RuntimeNames
{
    public const string Group = "portcullis.dev";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;

    /// <summary>Namespace label that turns binding on (the webhook configuration's namespaceSelector).</summary>
    public const string BindLabel = "portcullis.dev/bind";

    /// <summary>Pod annotation "disabled": leave this pod alone.</summary>
    public const string OptOutAnnotation = "portcullis.dev/bind";

    public const string SchedulingGate = "portcullis.dev/profiles";

    /// <summary>Label on pods the webhook bound, so the controller lists those and no others.</summary>
    public const string BoundLabel = "portcullis.dev/bound";

    /// <summary>Pod annotation: JSON of what was bound from where (<see cref="Webhook.BindingRecord"/>).</summary>
    public const string BindingsAnnotation = "portcullis.dev/bindings";

    /// <summary>Node label the agent sets once every profile is installed on its node; pods bound to a profile require it.</summary>
    public const string AgentReadyLabel = "portcullis.dev/agent-ready";

    /// <summary>Node label the agent sets when the node's kernel enforces AppArmor.</summary>
    public const string AppArmorLabel = "portcullis.dev/apparmor";

    public const string NodeLabel = "portcullis.dev/node";
    public const string ProfileLabel = "portcullis.dev/profile";

    /// <summary>
    /// Label ("true") on profiles that running pods use; deploy/base/admission-profiles.yaml refuses their
    /// deletion. A label, not a finalizer: a finalizer outlives the controller's account on uninstall.
    /// </summary>
    public const string InUseLabel = "portcullis.dev/in-use";

    /// <summary>The finalizer versions before the label put on in-use profiles; the controller strips it.</summary>
    public const string LegacyInUseFinalizer = "portcullis.dev/in-use";

    /// <summary>Subdirectory of the kubelet's seccomp root the agent owns.</summary>
    public const string SeccompDirectory = "portcullis";

    /// <summary>
    /// Subdirectory of <see cref="SeccompDirectory"/> holding each profile's variant for containers with no_new_privs
    /// (allowPrivilegeEscalation: false), where the container runtime makes fewer calls under the filter.
    /// </summary>
    public const string NoNewPrivilegesDirectory = "nnp";

    /// <summary>
    /// Node label naming the node's OCI runtime and version as "runc-1.1.5", for clusters whose nodes differ (the agent's
    /// --OciRuntime, when set, wins). Written by whoever administers the node; it can only narrow what the node's pods get.
    /// </summary>
    public const string OciRuntimeLabel = "portcullis.dev/oci-runtime";

    public const string CrioAnnotationPrefix = "seccomp-profile.kubernetes.cri-o.io/";

    public const string FieldManager = "portcullis";
}
