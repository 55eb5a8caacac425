using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;

namespace Portcullis.Runtime.Hosting;

/// <summary>
/// Every setting of every role, from command-line `--Name=value` or environment `PORTCULLIS_Name`. The
/// defaults are what deploy/base runs with.
/// </summary>
public sealed record RuntimeOptions
{
    /// <summary>The namespace the runtime runs in; never bound, and where its Secret and Lease live.</summary>
    public string Namespace { get; init; } = "portcullis-system";

    public IReadOnlyList<string> ExcludedNamespaces { get; init; } = ["kube-system"];

    /// <summary>Which platform of a multi-platform image to bind, in order of preference.</summary>
    public IReadOnlyList<string> Platforms { get; init; } = [DefaultPlatform()];

    public TimeSpan TagCacheLifetime { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan ProfileCacheLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one admission may spend; well under the webhook's timeoutSeconds (10 in deploy/).</summary>
    public TimeSpan AdmissionBudget { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The most one registry request may take on the wall clock, a safety net under the budgets (which run on
    /// the injected clock and cancel lookups first): the admission budget, the controller's fetch deadline.
    /// </summary>
    public TimeSpan RegistryRequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Refuse a pod the webhook cannot bind (any container left unbound by an error, a spent budget) instead of admitting it unconfined.</summary>
    public bool FailClosed { get; init; }

    public BindingMode Mode { get; init; } = BindingMode.Localhost;

    /// <summary>Bind AppArmor artifacts: "auto" (API server ≥ 1.30 and some node's agent loads AppArmor), "true" or "false".</summary>
    public string AppArmor { get; init; } = "auto";

    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>
    /// Where to reach a registry that pods name by another address, as "name=host:port" (kind's local
    /// registry is localhost:5001 to the nodes' containerd but kind-registry:5000 from a pod).
    /// </summary>
    public IReadOnlyDictionary<string, string> RegistryMirrors { get; init; } = new Dictionary<string, string>();

    public string Reach(string registry) => RegistryMirrors.TryGetValue(registry, out var mirror) ? mirror : registry;

    // node agent
    public string KubeletRoot { get; init; } = "/var/lib/kubelet";
    public string AppArmorRoot { get; init; } = "/etc/apparmor.d/portcullis";

    /// <summary>The command that loads AppArmor policy, comma-separated (the node's parser, e.g. through nsenter).</summary>
    public IReadOnlyList<string> AppArmorParser { get; init; } = ["apparmor_parser"];
    public string NodeName { get; init; } = Environment.GetEnvironmentVariable("NODE_NAME") ?? Environment.MachineName;
    public string AgentDaemonSet { get; init; } = "portcullis-agent";

    /// <summary>
    /// The nodes' OCI runtime and version, e.g. "runc/1.1.5" (`runc --version`): the agent then writes each profile with
    /// just that runtime's part. Unset: the node's portcullis.dev/oci-runtime label, else the portable union.
    /// </summary>
    public string? OciRuntime { get; init; }
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromMinutes(5);

    // controller
    public TimeSpan GarbageCollectAfter { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How long the controller gives one profile's fetch (every registry call of it), on the injected clock.</summary>
    public TimeSpan FetchDeadline { get; init; } = TimeSpan.FromSeconds(60);

    public int MaxConcurrentFetches { get; init; } = 4;

    /// <summary>The longest Retry-After the runtime honours: a registry cannot park a lookup for longer.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(2);
    public string PolicyConfigMap { get; init; } = "portcullis-policy";
    public string WebhookConfiguration { get; init; } = "portcullis";
    public string TlsSecret { get; init; } = "portcullis-webhook-tls";
    public string ServiceName { get; init; } = "portcullis-webhook";
    public string LeaseName { get; init; } = "portcullis-controller";

    // serving
    /// <summary>The address every port listens on (default: all interfaces), e.g. the pod IP or 127.0.0.1.</summary>
    public string? ListenAddress { get; init; }
    public int HttpsPort { get; init; } = 8443;
    public int HttpPort { get; init; } = 8080;
    public string? Kubeconfig { get; init; }

    /// <summary>Out of cluster: a PEM certificate + key to serve the webhook with instead of the controller's Secret.</summary>
    public string? TlsCertificateFile { get; init; }
    public string? TlsKeyFile { get; init; }

    /// <summary>Out of cluster: where the API server reaches the webhook (the controller writes it into the webhook configuration).</summary>
    public string? WebhookUrl { get; init; }

    /// <summary>Out of cluster: the CA that signed <see cref="TlsCertificateFile"/> (default: that certificate itself, for a self-signed one).</summary>
    public string? WebhookCaFile { get; init; }

    /// <summary>
    /// PEM CA bundle for the API server's client certificate (its AdmissionConfiguration's kubeConfigFile): when set,
    /// the webhook completes TLS only with a client certificate that chains to it. Where the cluster cannot send one,
    /// deploy/base/networkpolicy.yaml is what keeps other pods out.
    /// </summary>
    public string? WebhookClientCaFile { get; init; }

    public static RuntimeOptions From(IConfiguration config)
    {
        var defaults = new RuntimeOptions();
        string? S(string name) => config[name] is { Length: > 0 } v ? v : null;
        IReadOnlyList<string>? L(string name) => S(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        TimeSpan? T(string name) => S(name) is { } v ? TimeSpan.Parse(v, CultureInfo.InvariantCulture) : null;
        int? I(string name) => S(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : null;
        return new RuntimeOptions
        {
            Namespace = S(nameof(Namespace)) ?? ReadServiceAccountNamespace() ?? defaults.Namespace,
            ExcludedNamespaces = L(nameof(ExcludedNamespaces)) ?? defaults.ExcludedNamespaces,
            Platforms = L(nameof(Platforms)) ?? defaults.Platforms,
            TagCacheLifetime = T(nameof(TagCacheLifetime)) ?? defaults.TagCacheLifetime,
            ProfileCacheLifetime = T(nameof(ProfileCacheLifetime)) ?? defaults.ProfileCacheLifetime,
            AdmissionBudget = T(nameof(AdmissionBudget)) ?? defaults.AdmissionBudget,
            RegistryRequestTimeout = T(nameof(RegistryRequestTimeout)) ?? defaults.RegistryRequestTimeout,
            FailClosed = S(nameof(FailClosed)) is { } failClosed && bool.Parse(failClosed),
            Mode = S(nameof(Mode)) is { } mode ? Enum.Parse<BindingMode>(mode, ignoreCase: true) : defaults.Mode,
            AppArmor = S(nameof(AppArmor)) ?? defaults.AppArmor,
            InsecureRegistries = L(nameof(InsecureRegistries)) ?? defaults.InsecureRegistries,
            RegistryMirrors = L(nameof(RegistryMirrors))?.Select(m => m.Split('=', 2)).ToDictionary(m => m[0], m => m.Length == 2 ? m[1] : throw new FormatException($"RegistryMirrors: '{m[0]}' is not name=host:port"), StringComparer.OrdinalIgnoreCase) ?? defaults.RegistryMirrors,
            KubeletRoot = S(nameof(KubeletRoot)) ?? defaults.KubeletRoot,
            AppArmorRoot = S(nameof(AppArmorRoot)) ?? defaults.AppArmorRoot,
            AppArmorParser = L(nameof(AppArmorParser)) ?? defaults.AppArmorParser,
            NodeName = S(nameof(NodeName)) ?? defaults.NodeName,
            AgentDaemonSet = S(nameof(AgentDaemonSet)) ?? defaults.AgentDaemonSet,
            OciRuntime = S(nameof(OciRuntime)),
            ResyncInterval = T(nameof(ResyncInterval)) ?? defaults.ResyncInterval,
            GarbageCollectAfter = T(nameof(GarbageCollectAfter)) ?? defaults.GarbageCollectAfter,
            FetchDeadline = T(nameof(FetchDeadline)) ?? defaults.FetchDeadline,
            MaxConcurrentFetches = I(nameof(MaxConcurrentFetches)) ?? defaults.MaxConcurrentFetches,
            MaxRetryAfter = T(nameof(MaxRetryAfter)) ?? defaults.MaxRetryAfter,
            PolicyConfigMap = S(nameof(PolicyConfigMap)) ?? defaults.PolicyConfigMap,
            WebhookConfiguration = S(nameof(WebhookConfiguration)) ?? defaults.WebhookConfiguration,
            TlsSecret = S(nameof(TlsSecret)) ?? defaults.TlsSecret,
            ServiceName = S(nameof(ServiceName)) ?? defaults.ServiceName,
            LeaseName = S(nameof(LeaseName)) ?? defaults.LeaseName,
            ListenAddress = S(nameof(ListenAddress)) is { } listen ? System.Net.IPAddress.TryParse(listen, out _) ? listen : throw new FormatException($"ListenAddress: '{listen}' is not an IP address") : null,
            HttpsPort = I(nameof(HttpsPort)) ?? defaults.HttpsPort,
            HttpPort = I(nameof(HttpPort)) ?? defaults.HttpPort,
            Kubeconfig = S(nameof(Kubeconfig)),
            TlsCertificateFile = S(nameof(TlsCertificateFile)),
            TlsKeyFile = S(nameof(TlsKeyFile)),
            WebhookUrl = S(nameof(WebhookUrl)),
            WebhookCaFile = S(nameof(WebhookCaFile)),
            WebhookClientCaFile = S(nameof(WebhookClientCaFile)),
        };
    }

    public bool IsExcluded(string? ns) => ns is null || ns == Namespace || ExcludedNamespaces.Contains(ns, StringComparer.Ordinal);

    private static string DefaultPlatform() => "linux/" + (RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64");

    private static string? ReadServiceAccountNamespace()
    {
        const string path = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }
}
