using System.Text;

namespace Portcullis.Recorder.Launching;

/// <summary>
/// The launcher's request on fd 3: length-prefixed fields through BinaryWriter/BinaryReader. Not JSON on
/// purpose: the launcher is on the critical path of every recording, and these readers come precompiled
/// with the runtime while a JSON serializer in our assembly would be JIT-compiled on every start.
/// </summary>
internal static class LaunchRequestCodec
{
    private const int Version = 1;

    public static byte[] Encode(LaunchRequest r)
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Version);
            w.Write((int)r.Mode);
            w.Write(r.Path);
            Optional(w, r.WorkingDirectory);
            Optional(w, r.CgroupProcs);
            Optional(w, r.SeccompProfileJson);
            w.Write(r.Arguments.Count);
            foreach (var a in r.Arguments)
                w.Write(a);
            w.Write(r.Environment.Count);
            foreach (var (key, value) in r.Environment)
            {
                w.Write(key);
                w.Write(value);
            }
        }
        return buffer.ToArray();
    }

    public static LaunchRequest Decode(Stream stream)
    {
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (r.ReadInt32() != Version)
            throw new InvalidDataException("launch request of another version");
        var mode = (LaunchMode)r.ReadInt32();
        var path = r.ReadString();
        var cwd = Optional(r);
        var cgroup = Optional(r);
        var profile = Optional(r);
        var args = new string[r.ReadInt32()];
        for (var i = 0; i < args.Length; i++)
            args[i] = r.ReadString();
        var count = r.ReadInt32();
        var env = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
            env[r.ReadString()] = r.ReadString();
        return new LaunchRequest
        {
            Mode = mode,
            Path = path,
            WorkingDirectory = cwd,
            CgroupProcs = cgroup,
            SeccompProfileJson = profile,
            Arguments = args,
            Environment = env,
        };
    }

    private static void Optional(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null)
            w.Write(value);
    }

    private static string? Optional(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;
}
