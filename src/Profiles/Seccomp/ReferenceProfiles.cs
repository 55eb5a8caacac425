using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;

namespace Portcullis.Profiles.Seccomp;

/// <summary>
/// Profiles shipped inside the library for comparison. docker-default.json is moby/profiles'
/// seccomp/default.json (Apache-2.0), embedded unchanged; see README "Third-party material".
/// </summary>
public static class ReferenceProfiles
{
    private static readonly Lazy<SeccompProfile> Docker = new(LoadDocker);

    /// <summary>Docker's default profile as published (Docker format, with includes/excludes).</summary>
    public static SeccompProfile DockerDefault => Docker.Value;

    /// <summary>Docker's default profile as Docker would apply it on <paramref name="arch"/> with its default capabilities.</summary>
    public static SeccompProfile DockerDefaultFor(SeccompArch arch) =>
        DockerProfileResolver.Resolve(DockerDefault, DockerTarget.Host(arch));

    private static SeccompProfile LoadDocker()
    {
        using var stream = typeof(ReferenceProfiles).Assembly.GetManifestResourceStream("Portcullis.Profiles.Reference.docker-default.json")
            ?? throw new InvalidOperationException("embedded docker-default.json is missing");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return SeccompReader.Read(JsonDocReader.Read(buffer.ToArray(), "docker-default.json"), new FieldReader());
    }
}
