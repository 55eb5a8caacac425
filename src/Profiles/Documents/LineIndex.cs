using System.Text;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.Documents;

/// <summary>Turns a byte offset in UTF-8 text into a 1-based line and column (columns count characters).</summary>
internal sealed class LineIndex
{
    private readonly byte[] _utf8;
    private readonly List<int> _lineStarts = [0];
    private readonly string _file;

    public LineIndex(byte[] utf8, string file)
    {
        _utf8 = utf8;
        _file = file;
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
                _lineStarts.Add(i + 1);
        }
    }

    public Origin At(long offset)
    {
        var o = (int)Math.Clamp(offset, 0, _utf8.Length);
        var line = _lineStarts.BinarySearch(o);
        if (line < 0)
            line = ~line - 1;
        var start = _lineStarts[line];
        return new Origin(_file, line + 1, Encoding.UTF8.GetCharCount(_utf8, start, o - start) + 1);
    }
}
