using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Loading;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Spo;

namespace Portcullis.Cli.Commands;

/// <summary>
/// Input handling shared by the commands: <c>path#name</c> picks one document of a multi-document file,
/// base profiles come from the inputs and from --base files, and Docker-format profiles are resolved for a
/// target architecture before anything that needs plain runtime-spec rules.
/// </summary>
internal static class ProfileInputs
{
    public static IReadOnlyList<ProfileDocument> Load(string spec, DiagnosticBag diagnostics)
    {
        var (path, name) = Split(spec);
        var documents = ProfileLoader.LoadFile(path, diagnostics);
        if (name is null)
            return documents;
        var picked = documents.Where(d => d.Name == name).ToList();
        return picked.Count > 0
            ? picked
            : throw ProfileException.At(DiagnosticId.AmbiguousDocument, $"no profile named '{name}' in this file (it holds {string.Join(", ", documents.Select(d => d.Name))})", new Origin(path, 0, 0));
    }

    public static SeccompDocument OneSeccomp(string spec, DiagnosticBag diagnostics) =>
        One<SeccompDocument>(spec, Load(spec, diagnostics), "seccomp");

    public static T One<T>(string spec, IReadOnlyList<ProfileDocument> documents, string kind)
        where T : ProfileDocument
    {
        var matching = documents.OfType<T>().ToList();
        return matching.Count switch
        {
            1 => matching[0],
            0 => throw ProfileException.At(DiagnosticId.UnrecognizedDocument, $"holds no {kind} profile", new Origin(Split(spec).Path, 0, 0)),
            _ => throw ProfileException.At(DiagnosticId.AmbiguousDocument,
                $"holds {matching.Count} {kind} profiles ({string.Join(", ", matching.Select(m => m.Name))}); pick one as FILE#NAME", new Origin(Split(spec).Path, 0, 0)),
        };
    }

    public static BaseProfileResolver Catalog(IEnumerable<ProfileDocument> inputs, IEnumerable<string> baseFiles, DiagnosticBag diagnostics)
    {
        var catalog = inputs.OfType<SeccompDocument>().Select(d => d.Spo).OfType<SpoSeccompProfile>().ToList();
        foreach (var file in baseFiles)
        {
            foreach (var doc in ProfileLoader.LoadFile(file, diagnostics).OfType<SeccompDocument>())
            {
                catalog.Add(doc.Spo ?? new SpoSeccompProfile(
                    SpoMetadata.New(SpoGroup.SeccompKind, Path.GetFileNameWithoutExtension(file)), doc.Profile, null, null, []));
            }
        }
        return new BaseProfileResolver(catalog);
    }

    /// <summary>The profile as a runtime would enforce it: base profiles merged in, Docker filters resolved for <paramref name="arch"/>.</summary>
    public static SeccompProfile Enforced(SeccompDocument doc, BaseProfileResolver bases, SeccompArch arch, DiagnosticBag diagnostics)
    {
        var profile = doc.Spo is { } spo ? bases.Resolve(spo, diagnostics) : doc.Profile;
        if (!profile.UsesDockerExtensions)
            return profile;
        diagnostics.Add(Diagnostic.Info(DiagnosticId.DockerRulesResolved,
            $"{doc.Name}: Docker includes/excludes resolved for {SeccompArchitectures.Wire.Name(arch)} with Docker's default capabilities", new Origin(doc.File, 0, 0)));
        return DockerProfileResolver.Resolve(profile, DockerTarget.Host(arch));
    }

    public static SeccompArch ParseArch(string? text)
    {
        if (text is null)
            return SeccompArchitectures.Host;
        if (SeccompArchitectures.Wire.TryParse(text, out var arch) || SeccompArchitectures.Wire.TryParse("SCMP_ARCH_" + text.ToUpperInvariant(), out arch))
            return arch;
        return SeccompArchitectures.FromGoArch(text)
            ?? throw ProfileException.At(DiagnosticId.UsageError, $"unknown architecture '{text}' (e.g. x86_64, aarch64, amd64, SCMP_ARCH_X86_64)", default, "--arch");
    }

    public static (string Path, string? Name) Split(string spec)
    {
        var hash = spec.LastIndexOf('#');
        return hash > 0 && !File.Exists(spec) ? (spec[..hash], spec[(hash + 1)..]) : (spec, null);
    }
}
