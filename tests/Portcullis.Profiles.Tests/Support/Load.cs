using System.Text;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;
using Portcullis.Profiles.Loading;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Profiles.Tests.Support;

internal static class Load
{
    public static SeccompProfile Seccomp(string json, string file = "test.json") =>
        SeccompReader.Read(JsonDocReader.Read(Encoding.UTF8.GetBytes(json), file), new FieldReader());

    public static IReadOnlyList<ProfileDocument> Text(string text, string file = "test", DiagnosticBag? bag = null) =>
        ProfileLoader.Load(new InputText(Encoding.UTF8.GetBytes(text), text, file), bag ?? new DiagnosticBag());

    public static IReadOnlyList<ProfileDocument> File(string path, DiagnosticBag? bag = null) =>
        ProfileLoader.LoadFile(path, bag ?? new DiagnosticBag());

    public static SeccompProfile OneSeccomp(string path) =>
        Assert.Single(File(path).OfType<SeccompDocument>()).Profile;

    public static string Json(SeccompProfile profile) =>
        Encoding.UTF8.GetString(DocJsonWriter.Write(SeccompWriter.ToDoc(profile)));

    public static ProfileException Fails(Action action) => Assert.Throws<ProfileException>(action);
}
