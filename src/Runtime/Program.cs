using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Status;

// portcullis-runtime ROLES [--Name=value ...]   ROLES: webhook, controller, agent, comma-separated
// portcullis-runtime status [--Kubeconfig=PATH]
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: portcullis-runtime webhook|controller|agent[,...] [--Name=value ...]\n       portcullis-runtime status [--Kubeconfig=PATH]");
    return args.Length == 0 ? 2 : 0;
}
var config = new ConfigurationBuilder().AddEnvironmentVariables("PORTCULLIS_").AddCommandLine(args[1..]).Build();
RuntimeOptions options;
var roles = Role.None;
try
{
    options = RuntimeOptions.From(config);
    if (args[0] != "status")
    {
        foreach (var name in args[0].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            roles |= Enum.TryParse<Role>(name, ignoreCase: true, out var role) && role != Role.None ? role : throw new FormatException($"unknown role '{name}' (webhook, controller, agent)");
    }
}
catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
{
    Console.Error.WriteLine($"PCL9002: {e.Message}");
    return 2;
}

try
{
    using var api = KubernetesClusterApi.Connect(options.Kubeconfig);
    if (args[0] == "status")
    {
        Console.Write(await ClusterStatusReport.WriteAsync(api, CancellationToken.None));
        return 0;
    }
    await using var app = RuntimeHost.Build(roles, options, api, args[1..]);
    await app.RunAsync();
    // A role whose loop failed stopped the host (and said why in the log): that is not a clean exit.
    var failed = app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Microsoft.Extensions.Hosting.BackgroundService>().Any(s => s.ExecuteTask?.IsFaulted == true);
    return failed ? 1 : 0;
}
catch (FormatException e)
{
    Console.Error.WriteLine($"PCL9002: {e.Message}");
    return 2;
}
catch (Exception e) when (e is ClusterApiException or k8s.Exceptions.KubeConfigException or IOException)
{
    Console.Error.WriteLine($"PCL{(int)Portcullis.Profiles.Diagnostics.DiagnosticId.ClusterApiFailed:D4}: {e.Message}");
    return 1;
}
