using System.Text;

namespace Portcullis.Profiles.AppArmor;

/// <summary>What a child process prints on its pipes: the first bytes kept, the rest read and dropped so it never blocks on a full pipe.</summary>
internal sealed class BoundedOutput(int limit)
{
    private readonly byte[] _kept = new byte[limit];
    private readonly Lock _gate = new();
    private int _length;
    private long _seen;

    public long Seen
    {
        get { lock (_gate) return _seen; }
    }

    public string Text
    {
        get { lock (_gate) return Encoding.UTF8.GetString(_kept, 0, _length); }
    }

    public async Task DrainAsync(Stream pipe)
    {
        var buffer = new byte[16384];
        int read;
        while ((read = await pipe.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            lock (_gate)
            {
                var keep = Math.Min(read, _kept.Length - _length);
                Array.Copy(buffer, 0, _kept, _length, keep);
                _length += keep;
                _seen += read;
            }
        }
    }
}
