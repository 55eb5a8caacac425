using System.CommandLine;
using Portcullis.Cli.Output;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Status;

namespace Portcullis.Cli.Commands;

internal static class ClusterCommand
{
    public static Command Create(CliIo io)
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "The kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, or the pod's service account)." };
        var status = new Command("status", """
            What Portcullis.Runtime is doing in the cluster: each profile with its phase and how many ready
            nodes installed it, each node's state of each profile, and the pods bound to them (gated: still
            waiting for their profiles).

            Example:
              portcullis cluster status --kubeconfig ~/.kube/config
            """)
        { kubeconfig };
        status.SetAction(async (parse, cancel) =>
        {
            using var api = KubernetesClusterApi.Connect(parse.GetValue(kubeconfig));
            io.Out.Write(await ClusterStatusReport.WriteAsync(api, cancel));
            return 0;
        });
        return new Command("cluster", "Portcullis.Runtime in a Kubernetes cluster.") { status };
    }
}
