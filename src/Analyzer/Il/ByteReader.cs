using System.Buffers.Binary;
using System.Text;

namespace Portcullis.Analyzer.Il;

/// <summary>Reads little-endian values from a file read whole: the cache is read on every analysis, so no stream per value.</summary>
internal sealed class ByteReader(byte[] bytes)
{
    private int _position;

    public int Int()
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(_position, 4));
        _position += 4;
        return value;
    }

    public byte Byte() => bytes[_position++];

    public Guid Guid()
    {
        var value = new Guid(bytes.AsSpan(_position, 16));
        _position += 16;
        return value;
    }

    /// <summary>A string stored as its byte length and UTF-8 bytes.</summary>
    public string Utf8()
    {
        var length = Int();
        var value = Encoding.UTF8.GetString(bytes, _position, length);
        _position += length;
        return value;
    }
}
