using System.Text.RegularExpressions;

namespace Portcullis.Analyzer.Native;

/// <summary>
/// Shared-library file names as a dlopen call would spell them: libssl.so.3, libgssapi_krb5.so.2, or a prefix such as
/// libssl.so. that the code completes with a version at run time.
/// </summary>
internal static partial class LibraryName
{
    public static bool Looks(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 6 || bytes.Length > 128 || bytes[0] != (byte)'l')
            return false;
        foreach (var b in bytes)
            if (b is < 0x21 or > 0x7e)
                return false;
        return Shape().IsMatch(System.Text.Encoding.ASCII.GetString(bytes));
    }

    [GeneratedRegex(@"^lib[A-Za-z0-9_+\-]+(\.[A-Za-z0-9_+\-]+)*\.so(\.[0-9A-Za-z_]*)*$")]
    private static partial Regex Shape();
}
