using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;

namespace Portcullis.Profiles.Seccomp;

/// <summary>
/// One entry of syscalls[]: the names it covers, the action, and the argument conditions that must all hold.
/// Comment, Includes and Excludes are Docker's extensions; <see cref="Extra"/> keeps fields we do not model.
/// </summary>
public sealed record SeccompRule
{
    public required ValueList<string> Names { get; init; }
    public required SeccompAction Action { get; init; }
    public uint? ErrnoRet { get; init; }
    public ValueList<SeccompArgCondition> Args { get; init; } = [];
    public string? Comment { get; init; }
    public RuleFilter Includes { get; init; } = RuleFilter.Empty;
    public RuleFilter Excludes { get; init; } = RuleFilter.Empty;
    public ValueList<DocEntry> Extra { get; init; } = [];
    public Origin Origin { get; init; }

    /// <summary>Origins of each name, parallel to <see cref="Names"/> when read from a file.</summary>
    public OriginList NameOrigins { get; init; }

    public bool HasDockerFilters => !Includes.IsEmpty || !Excludes.IsEmpty;

    public Origin OriginOfName(int index) => index < NameOrigins.Count ? NameOrigins[index] : Origin;
}
