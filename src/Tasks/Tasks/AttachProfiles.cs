using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Portcullis.Build.Tasks;

/// <summary>
/// Attaches the profiles to each pushed platform manifest (<c>portcullis attach</c>). The registry credentials are
/// the ones the SDK's push used, read here from the environment and handed to the program for that registry only;
/// they never pass through task parameters or the logged command line.
/// </summary>
public sealed class AttachProfiles : PortcullisToolTask
{
    private static readonly string[] UserVariables = ["DOTNET_CONTAINER_PUSH_REGISTRY_UNAME", "DOTNET_CONTAINER_REGISTRY_UNAME", "SDK_CONTAINER_REGISTRY_UNAME"];
    private static readonly string[] PasswordVariables = ["DOTNET_CONTAINER_PUSH_REGISTRY_PWORD", "DOTNET_CONTAINER_REGISTRY_PWORD", "SDK_CONTAINER_REGISTRY_PWORD"];

    /// <summary>registry/repository@digest or :tag.</summary>
    [Required]
    public string Image { get; set; } = "";

    [Required]
    public string Registry { get; set; } = "";

    /// <summary>One folder of profiles, or one per platform with <c>Platform</c> metadata (a RID) for an index.</summary>
    [Required]
    public ITaskItem[] From { get; set; } = [];

    public string Sources { get; set; } = "recorded,base";

    /// <summary>DOTNET_CONTAINER_INSECURE_REGISTRIES, comma separated.</summary>
    public string? InsecureRegistries { get; set; }

    protected override void AppendArguments(CommandLineBuilder builder)
    {
        builder.AppendSwitch("attach");
        builder.AppendFileNameIfNotNull(Image);
        foreach (var from in From)
        {
            var platform = from.GetMetadata("Platform");
            var dir = from.ItemSpec.TrimEnd('/');
            builder.AppendSwitchIfNotNull("--from ", platform.Length > 0 ? platform + "=" + dir : dir);
        }
        builder.AppendSwitchIfNotNull("--sources ", Sources);
        foreach (var host in (InsecureRegistries ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            builder.AppendSwitchIfNotNull("--insecure-registry ", host);
    }

    protected override IEnumerable<(string Name, string Value)> SecretEnvironment()
    {
        yield return ("PORTCULLIS_REGISTRY", Registry);
        var user = First(UserVariables);
        var password = First(PasswordVariables);
        if (user is not null && password is not null)
        {
            yield return ("PORTCULLIS_REGISTRY_USERNAME", user);
            yield return ("PORTCULLIS_REGISTRY_PASSWORD", password);
        }
    }

    private static string? First(string[] names) =>
        names.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v));
}
