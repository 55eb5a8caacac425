using System.Text;
using Portcullis.Profiles.AppArmor;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;
using Portcullis.Profiles.Generation;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Syscalls;

namespace Portcullis.Pipeline;

/// <summary>
/// The one place a container's profiles are made: recordings + prediction + the bases → seccomp.json,
/// apparmor.profile and report.md, with the notes and warnings that say what the profile could not cover.
/// `portcullis generate` (and through it the Portcullis.Build package) calls it; writing the files is the caller's.
/// </summary>
public static class ProfilePipeline
{
    // The eBPF recorder sees no sockets: analysis says whether the app speaks IP.
    private static readonly string[] IpCalls = ["connect", "bind", "listen", "accept4", "sendto", "recvfrom", "sendmsg", "recvmsg"];

    public static PipelineResult Run(PipelineRequest request, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(request);
        var evidence = new List<SyscallEvidence>();
        if (request.DotnetBase)
            evidence.AddRange(DotnetRuntimeBase.Evidence);
        evidence.AddRange(request.Allow.Select(n => new SyscallEvidence(n, SourceKind.Override, "--allow")));
        var notes = request.Notes.ToList();
        var predicted = request.Prediction;
        if (request.Recordings.Count == 0)
        {
            diagnostics.Add(Diagnostic.Warning(DiagnosticId.NoRecording, "no recording of the app's tests: the profile comes from " + (predicted is null ? "the base lists only" : "analysis and the base lists")));
            notes.Add("PCL5009: no test run was recorded; the profile comes from " + (predicted is null ? "the base lists only." : "analysis and the base lists."));
        }
        if (predicted is null)
        {
            diagnostics.Add(Diagnostic.Warning(DiagnosticId.UntestedPathsNotCovered, "no analysis of the app: paths its tests do not exercise are not covered by the profile"));
            notes.Add("PCL5008: no analysis of the app ran: paths its tests do not exercise are not covered.");
        }
        else
        {
            evidence.AddRange(predicted.Syscalls.SelectMany(s => s.Evidence.Select(e => new SyscallEvidence(s.Name, SourceKind.Predicted, e.ToString()))));
            notes.Add($"Analysis of {predicted.Application} (.NET {predicted.Runtime}): {predicted.ReachableMethods} reachable methods of the app and its framework, P/Invokes into {(predicted.ReachedLibraries.Count == 0 ? "libc only" : string.Join(", ", predicted.ReachedLibraries))}.");
            if (predicted.HostsWebServer && !request.Recordings.Any(l => l.Recording.Syscalls.Any(s => s.Name is "listen")))
                notes.Add("The app hosts a web server, but no recorded test ever listened on a socket (tests that host the app in memory, such as WebApplicationFactory, never do): the server's syscalls come from analysis of Kestrel's code.");
        }

        var generated = SeccompGenerator.Generate(new GenerationRequest
        {
            Recordings = request.Recordings,
            Evidence = evidence,
            Deny = request.Deny,
            Targets = request.Targets,
            AllowIoUring = request.AllowIoUring,
            SocketFamilies = predicted?.SocketFamilies is { } families
                ? [.. families.Union(request.Recordings.SelectMany(l => l.Recording.Sockets).Select(s => s.Family))] : null,
        }, diagnostics);
        var ipFamilies = predicted is not null && predicted.Syscalls.Any(s => IpCalls.Contains(s.Name)) ? ["inet", "inet6"] : Array.Empty<string>();
        var apparmor = ContainerAppArmor.Generate(request.Recordings.Select(l => l.Recording), "portcullis-" + KebabName(request.AppName), request.AppDirectory, ipFamilies, request.Writable);

        var host = generated.Profile.Architectures.FirstOrDefault(SeccompArch.X86_64);
        var count = generated.Allowed.Keys.Count(n => SyscallTable.ExistsOn(n, host));
        var docker = EffectiveView.Of(ReferenceProfiles.DockerDefaultFor(host), host).Allowed().Count();
        return new PipelineResult(
            generated,
            Encoding.UTF8.GetString(DocJsonWriter.Write(SeccompWriter.ToDoc(generated.Profile))),
            AppArmorRenderer.Render(apparmor),
            GenerationReport.Render(request.AppName, generated, request.Previous, notes),
            $"profile allows {count} syscalls (Docker's default: {docker}; {GenerationReport.Parts(generated)})");
    }

    private static string KebabName(string name) =>
        new(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
