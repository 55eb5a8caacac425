using System.CommandLine;
using System.Text.Json.Nodes;
using Portcullis.Cli.Output;
using Portcullis.Oci;
using Portcullis.Oci.Artifacts;
using Portcullis.Oci.References;

namespace Portcullis.Cli.Commands;

internal static class DiscoverCommand
{
    public static Command Create(CliIo io)
    {
        var image = new Argument<string>("image") { Description = "The image (registry/repository:tag or @digest)." }.RejectOptions();
        var json = CommonOptions.Json();
        var insecure = RegistryOptionsFactory.InsecureOption();
        var command = new Command("discover", """
            List the profiles attached to an image, newest first: artifact type, digest, size, created time,
            platform, whether a signature is attached (pull --verify checks it), and which sources fed each.

            Example:
              portcullis discover registry.example/shop/todo:1.4
            """)
        { image, json, insecure };

        command.SetAction(async (parse, cancel) =>
        {
            var reference = ImageReference.Parse(parse.GetValue(image)!);
            using var client = new RegistryClient(RegistryOptionsFactory.From(parse, insecure));
            var found = await new ProfileArtifacts(client).DiscoverAsync(reference, null, cancel);
            var signer = new Portcullis.Oci.Signing.ArtifactSigner(client);
            var signed = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (var (_, artifact) in found)
                signed[artifact.Digest.ToString()] = await signer.IsSignedAsync(reference, artifact, cancel);
            if (parse.GetValue(json))
            {
                io.Out.Write(JsonText.Render(new JsonArray(found.Select(f => (JsonNode)new JsonObject
                {
                    ["artifactType"] = f.Artifact.ArtifactType,
                    ["digest"] = f.Artifact.Digest.ToString(),
                    ["size"] = f.Artifact.Size,
                    ["created"] = f.Artifact.Annotations.GetValueOrDefault(ProfileArtifactFormat.Created),
                    ["platform"] = f.Subject.Platform,
                    ["subject"] = f.Subject.Digest.ToString(),
                    ["sources"] = f.Artifact.Annotations.GetValueOrDefault(ProfileArtifactFormat.Sources),
                    ["signed"] = signed[f.Artifact.Digest.ToString()],
                }).ToArray())));
                return 0;
            }
            io.Out.WriteLine($"{"KIND",-9} {"DIGEST",-20} {"SIZE",6} {"CREATED",-24} {"PLATFORM",-12} {"SIGNED",-6} SOURCES");
            foreach (var (subject, artifact) in found)
            {
                var kind = artifact.ArtifactType == ProfileArtifactFormat.SeccompType ? "seccomp" : "apparmor";
                io.Out.WriteLine($"{kind,-9} {artifact.Digest.ToString()[..19] + "…",-20} {artifact.Size,6} {artifact.Annotations.GetValueOrDefault(ProfileArtifactFormat.Created, "-"),-24} {subject.Platform ?? "-",-12} {(signed[artifact.Digest.ToString()] ? "yes" : "no"),-6} {artifact.Annotations.GetValueOrDefault(ProfileArtifactFormat.Sources, "-")}");
            }
            if (found.Count == 0)
                io.Err.WriteLine($"{reference}: no profiles attached");
            return 0;
        });
        return command;
    }
}
