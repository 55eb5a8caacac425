namespace Portcullis.Analyzer.Passes;

/// <summary>
/// A framework API (a type, a namespace with a trailing '.', or a type's member after '::') and the measured
/// groups a call to it needs. The most specific rule that matches wins, so a member rule can narrow its type's.
/// </summary>
internal sealed record Trigger(string Api, IReadOnlyList<string> Groups)
{
    public bool Matches(string type, string member)
    {
        var sep = Api.IndexOf("::", StringComparison.Ordinal);
        if (sep >= 0)
            return type == Api[..sep] && (member == Api[(sep + 2)..] || (Api.EndsWith('*') && member.StartsWith(Api[(sep + 2)..^1], StringComparison.Ordinal)));
        return Api.EndsWith('.') ? type.StartsWith(Api, StringComparison.Ordinal) : type == Api || type.StartsWith(Api + "/", StringComparison.Ordinal);
    }

    public int Specificity => Api.Contains("::", StringComparison.Ordinal) ? 2 : Api.EndsWith('.') ? 0 : 1;
}
