namespace Portcullis.Analyzer.Cases;

/// <summary>Only dead code of the case uses this group: the analyzer must not count it.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class ForbidGroupAttribute(string group) : Attribute
{
    public string Group { get; } = group;
}
