using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.AppArmor;

/// <summary>
/// One AppArmor profile: name, optional attachment path, flags (complain, attach_disconnected,
/// mediate_deleted, ...), the preamble it needs (abi, includes such as tunables/global, variables) and its rules.
/// </summary>
public sealed record AppArmorProfile
{
    public required string Name { get; init; }
    public string? Attachment { get; init; }
    public ValueList<string> Flags { get; init; } = [];
    public string? Abi { get; init; }
    public ValueList<string> Preamble { get; init; } = ["include <tunables/global>"];
    public ValueList<AppArmorRule> Rules { get; init; } = [];
    public Origin Origin { get; init; }

    public bool Complain => Flags.Contains("complain");
}
