using Portcullis.Profiles.AppArmor;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Spo;

namespace Portcullis.Profiles.Loading;

/// <summary>
/// Reads any supported input and says what it is: a JSON seccomp profile, an OCI runtime config, SPO
/// resources (one or many YAML documents; other kinds are skipped with a note), or AppArmor policy text.
/// </summary>
public static class ProfileLoader
{
    public static IReadOnlyList<ProfileDocument> Load(InputText input, DiagnosticBag diagnostics)
    {
        var reader = new FieldReader();
        var documents = Detect(input, reader, diagnostics);
        diagnostics.AddRange(reader.UnknownFieldWarnings());
        return documents;
    }

    public static IReadOnlyList<ProfileDocument> LoadFile(string path, DiagnosticBag diagnostics) =>
        Load(InputReader.Read(path), diagnostics);

    private static List<ProfileDocument> Detect(InputText input, FieldReader reader, DiagnosticBag diagnostics)
    {
        var file = input.DisplayName;
        var trimmed = input.Text.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
            return [FromJson(JsonDocReader.Read(input.Utf8, file), file, reader)];
        if (LooksLikeAppArmor(trimmed))
        {
            return AppArmorParser.Parse(input.Text, file)
                .Select(p => (ProfileDocument)new AppArmorDocument(p.Name, SourceFormat.AppArmorPolicy, file, p, null))
                .ToList();
        }

        var documents = new List<ProfileDocument>();
        foreach (var node in YamlDocReader.ReadAll(input.Text, file))
        {
            if (node is DocScalar { Kind: ScalarKind.Null })
                continue;
            if (!SpoReader.IsKubernetesObject(node))
            {
                if (node is DocMap m && m.Get("defaultAction") is not null)
                {
                    documents.Add(FromJson(node, file, reader));
                    continue;
                }
                throw ProfileException.At(DiagnosticId.UnrecognizedDocument, "not a profile: expected a seccomp profile (defaultAction), an SPO SeccompProfile or AppArmorProfile, or AppArmor policy text", node.Origin);
            }
            var map = (DocMap)node;
            var kind = (map.Get("kind") as DocScalar)?.Text;
            switch (kind)
            {
                case SpoGroup.SeccompKind:
                    var s = SpoReader.ReadSeccomp(map, reader);
                    documents.Add(new SeccompDocument(s.Meta.Name, SourceFormat.Spo, file, s.Spec, s));
                    break;
                case SpoGroup.AppArmorKind:
                    var a = SpoReader.ReadAppArmor(map, reader);
                    documents.Add(new AppArmorDocument(a.Meta.Name, SourceFormat.Spo, file, AbstractConverter.ToPolicy(a), a));
                    break;
                default:
                    diagnostics.Add(Diagnostic.Info(DiagnosticId.UnrecognizedDocument, $"skipped a {kind ?? "(no kind)"} document: not a profile", node.Origin));
                    break;
            }
        }
        if (documents.Count == 0)
            throw ProfileException.At(DiagnosticId.UnrecognizedDocument, "the file holds no SeccompProfile or AppArmorProfile", new Origin(file, 1, 1));
        return documents;
    }

    private static ProfileDocument FromJson(DocNode root, string file, FieldReader reader)
    {
        if (SpoReader.IsKubernetesObject(root))
        {
            var map = (DocMap)root;
            if ((map.Get("kind") as DocScalar)?.Text == SpoGroup.AppArmorKind)
            {
                var a = SpoReader.ReadAppArmor(map, reader);
                return new AppArmorDocument(a.Meta.Name, SourceFormat.Spo, file, AbstractConverter.ToPolicy(a), a);
            }
            var s = SpoReader.ReadSeccomp(map, reader);
            return new SeccompDocument(s.Meta.Name, SourceFormat.Spo, file, s.Spec, s);
        }
        if (root is DocMap { } config && config.Get("defaultAction") is null && config.Get("linux") is DocMap linux)
        {
            var seccomp = linux.Get("seccomp") ?? throw ProfileException.At(DiagnosticId.MissingField, "this runtime config has no linux.seccomp", linux.Origin, "linux.seccomp");
            return new SeccompDocument(Path.GetFileName(file), SourceFormat.RuntimeConfig, file, SeccompReader.Read(seccomp, reader, "linux.seccomp"), null);
        }
        if (root is not DocMap)
            throw FieldReader.WrongType(root, "(document)", "a JSON object");
        return new SeccompDocument(Path.GetFileName(file), SourceFormat.OciSeccomp, file, SeccompReader.Read(root, reader), null);
    }

    private static bool LooksLikeAppArmor(string trimmed)
    {
        foreach (var raw in trimmed.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || (line.StartsWith('#') && !line.StartsWith("#include", StringComparison.Ordinal)))
                continue;
            return line.StartsWith("profile ", StringComparison.Ordinal) || line.StartsWith("include", StringComparison.Ordinal)
                || line.StartsWith("#include", StringComparison.Ordinal) || line.StartsWith("abi ", StringComparison.Ordinal)
                || line.StartsWith("@{", StringComparison.Ordinal) || (line.StartsWith('/') && line.EndsWith('{'));
        }
        return false;
    }
}
