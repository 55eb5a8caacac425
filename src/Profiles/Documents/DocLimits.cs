namespace Portcullis.Profiles.Documents;

/// <summary>Bounds that keep hostile input (deep nesting, alias bombs, huge files) from exhausting the process.</summary>
public static class DocLimits
{
    public const int MaxDepth = 128;
    public const long MaxExpandedNodes = 2_000_000;
    public const long MaxInputBytes = 16L * 1024 * 1024;
}
