using System.Text.RegularExpressions;

namespace Portcullis.Oci.References;

/// <summary>
/// <c>[registry[:port]/]repository[:tag][@digest]</c>, normalised as Docker does: no registry means
/// docker.io, and a one-component repository on docker.io gets <c>library/</c>. The first component is a
/// registry when it has a dot or a port, or is <c>localhost</c>.
/// </summary>
public sealed partial record ImageReference(string Registry, string Repository, string? Tag, Digest? Digest)
{
    public const string DockerHub = "docker.io";

    public static ImageReference Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 4096)
            throw new OciException("an image reference cannot be empty");
        var rest = text;
        Digest? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!Digest.TryParse(rest[(at + 1)..], out var d))
                throw new OciException($"'{text}': '{rest[(at + 1)..]}' is not a digest (sha256:<64 hex> or sha512:<128 hex>)");
            digest = d;
            rest = rest[..at];
        }

        string registry = DockerHub;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = rest[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                if (!RegistryPattern().IsMatch(first))
                    throw new OciException($"'{text}': '{first}' is not a registry host[:port]");
                registry = first;
                rest = rest[(slash + 1)..];
            }
        }

        string? tag = null;
        var colon = rest.LastIndexOf(':');
        if (colon >= 0)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag))
                throw new OciException($"'{text}': '{tag}' is not a tag (letters, digits, _ . -; at most 128, not starting with . or -)");
        }
        if (!RepositoryPattern().IsMatch(rest))
            throw new OciException($"'{text}': '{rest}' is not a repository name (lower-case components separated by /)");
        if (registry == DockerHub && !rest.Contains('/', StringComparison.Ordinal))
            rest = "library/" + rest;
        if (tag is null && digest is null)
            tag = "latest";
        return new ImageReference(registry, rest, tag, digest);
    }

    /// <summary>What to ask the registry for: the digest when there is one, else the tag.</summary>
    public string Reference => Digest?.ToString() ?? Tag!;

    public ImageReference WithDigest(Digest digest) => this with { Digest = digest };

    public override string ToString() =>
        $"{Registry}/{Repository}{(Tag is null ? "" : ":" + Tag)}{(Digest is null ? "" : "@" + Digest)}";

    [GeneratedRegex(@"^(localhost|[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(:[0-9]{1,5})?$")]
    private static partial Regex RegistryPattern();

    [GeneratedRegex(@"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^[\w][\w.-]{0,127}$")]
    private static partial Regex TagPattern();
}
