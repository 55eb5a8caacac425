using Portcullis.Profiles.AppArmor;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Spo;

namespace Portcullis.Profiles.Loading;

/// <summary>One profile read from an input: a seccomp or an AppArmor profile, with the SPO resource it came from if any.</summary>
public abstract record ProfileDocument(string Name, SourceFormat Format, string File);

public sealed record SeccompDocument(string Name, SourceFormat Format, string File, SeccompProfile Profile, SpoSeccompProfile? Spo)
    : ProfileDocument(Name, Format, File);

public sealed record AppArmorDocument(string Name, SourceFormat Format, string File, AppArmorProfile Profile, SpoAppArmorProfile? Spo)
    : ProfileDocument(Name, Format, File);
