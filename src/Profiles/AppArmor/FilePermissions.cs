using System.Text;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.AppArmor;

/// <summary>
/// The access letters of a file rule: r, w, a, l, k, m and at most one exec mode (x in deny rules; ix, px, Px, ux, Ux, cx, Cx,
/// pix, Pix, cix, Cix, pux, PUx, cux, CUx). Always rendered in one order so equal sets print equally.
/// </summary>
public sealed record FilePermissions(bool Read, bool Write, bool Append, bool Link, bool Lock, bool Mmap, string? Exec)
{
    private static readonly string[] ExecModes = ["x", "ix", "px", "Px", "ux", "Ux", "cx", "Cx", "pix", "Pix", "cix", "Cix", "pux", "PUx", "cux", "CUx"];

    public bool Executes => Exec is not null;

    /// <summary>Parses "rw", "mr", "rix", "Px"... ; throws PCL3001 naming the bad letters.</summary>
    public static FilePermissions Parse(string text, Origin origin = default)
    {
        bool r = false, w = false, a = false, l = false, k = false, m = false;
        string? exec = null;
        var i = 0;
        while (i < text.Length)
        {
            var mode = ExecModes.Where(e => string.CompareOrdinal(text, i, e, 0, e.Length) == 0).MaxBy(e => e.Length);
            if (mode is not null)
            {
                if (exec is not null)
                    throw ProfileException.At(DiagnosticId.AppArmorInvalidPermission, $"'{text}' has two exec modes ({exec}, {mode}); a rule takes one", origin);
                exec = mode;
                i += mode.Length;
                continue;
            }
            switch (text[i])
            {
                case 'r': r = true; break;
                case 'w': w = true; break;
                case 'a': a = true; break;
                case 'l': l = true; break;
                case 'k': k = true; break;
                case 'm': m = true; break;
                default:
                    throw ProfileException.At(DiagnosticId.AppArmorInvalidPermission, $"'{text[i]}' in '{text}' is not a file permission (r w a l k m, or an exec mode such as ix px ux cx)", origin);
            }
            i++;
        }
        if (w && a)
            throw ProfileException.At(DiagnosticId.AppArmorInvalidPermission, $"'{text}' has both w and a; w includes append", origin);
        if (!r && !w && !a && !l && !k && !m && exec is null)
            throw ProfileException.At(DiagnosticId.AppArmorInvalidPermission, "a file rule needs at least one permission", origin);
        return new FilePermissions(r, w, a, l, k, m, exec);
    }

    public FilePermissions Union(FilePermissions other) => new(
        Read || other.Read, Write || other.Write, (Append || other.Append) && !(Write || other.Write),
        Link || other.Link, Lock || other.Lock, Mmap || other.Mmap, Exec ?? other.Exec);

    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Mmap) sb.Append('m');
        if (Read) sb.Append('r');
        if (Write) sb.Append('w');
        if (Append) sb.Append('a');
        if (Link) sb.Append('l');
        if (Lock) sb.Append('k');
        if (Exec is not null) sb.Append(Exec);
        return sb.ToString();
    }
}
