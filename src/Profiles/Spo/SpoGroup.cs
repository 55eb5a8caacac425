namespace Portcullis.Profiles.Spo;

/// <summary>The Security Profiles Operator's API group and the versions Portcullis reads.</summary>
public static class SpoGroup
{
    public const string Name = "security-profiles-operator.x-k8s.io";
    public const string SeccompKind = "SeccompProfile";
    public const string AppArmorKind = "AppArmorProfile";

    public static IReadOnlyList<string> SeccompVersions { get; } = ["v1", "v1beta1"];
    public static IReadOnlyList<string> AppArmorVersions { get; } = ["v1", "v1alpha1"];

    public static string ApiVersion(string version = "v1") => $"{Name}/{version}";
}
