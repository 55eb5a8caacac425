using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Portcullis.Oci.References;

/// <summary>A content digest, <c>algorithm:hex</c>: sha256 (64 hex digits) or sha512 (128).</summary>
public sealed partial record Digest(string Algorithm, string Hex)
{
    public static Digest Parse(string text) =>
        TryParse(text, out var d) ? d : throw new OciException($"'{text}' is not a digest (sha256:<64 hex> or sha512:<128 hex>)");

    public static bool TryParse(string text, out Digest digest)
    {
        digest = null!;
        var m = Pattern().Match(text);
        if (!m.Success)
            return false;
        var (alg, hex) = (m.Groups[1].Value, m.Groups[2].Value);
        if ((alg == "sha256" && hex.Length != 64) || (alg == "sha512" && hex.Length != 128))
            return false;
        digest = new Digest(alg, hex);
        return true;
    }

    public static Digest Sha256(ReadOnlySpan<byte> content) => new("sha256", Convert.ToHexStringLower(SHA256.HashData(content)));

    public IncrementalHash NewHash() => IncrementalHash.CreateHash(Algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);


    /// <summary>The tag the referrers tag schema uses for this digest: <c>sha256-&lt;hex&gt;</c>.</summary>
    public string ReferrersTag => $"{Algorithm}-{Hex}";

    public override string ToString() => $"{Algorithm}:{Hex}";

    [GeneratedRegex("^(sha256|sha512):([a-f0-9]+)$")]
    private static partial Regex Pattern();
}
