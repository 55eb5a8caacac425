using System.Text;

namespace Portcullis.Analyzer.Il;

/// <summary>
/// The on-disk form of a <see cref="ModuleCode"/>: il/&lt;mvid&gt;.bin under the Portcullis cache directory, binary
/// because the framework's compiled code is read on every analysis. A reference into another module is stored as
/// that module's name and MVID: the file counts only while each name still resolves to the same build, since a
/// token means nothing in another build. Stamped with the analyzer's own MVID, so a changed analyzer recompiles.
/// </summary>
internal static class IlCacheFile
{
    private const int Magic = 0x4C494350; // "PCIL"
    private const int FormatVersion = 4;
    private const int None = -2;
    private const int Self = -1;

    private static readonly Guid AnalyzerBuild = typeof(IlCacheFile).Assembly.ManifestModule.ModuleVersionId;

    public static string PathFor(string cacheDirectory, Guid mvid) => System.IO.Path.Combine(cacheDirectory, "il", mvid.ToString("N") + ".bin");

    /// <summary>Fills <paramref name="module"/> from its file when the file is valid; <paramref name="resolve"/> gives the run's module for a name and MVID, null when the name resolves elsewhere now.</summary>
    public static bool TryRead(string file, ModuleCode module, Func<string, Guid, int?> resolve)
    {
        if (!File.Exists(file))
            return false;
        try
        {
            var r = new ByteReader(File.ReadAllBytes(file));
            if (r.Int() != Magic || r.Int() != FormatVersion || r.Guid() != AnalyzerBuild || r.Guid() != module.Mvid)
                return false;
            var strings = new string[r.Int()];
            for (var i = 0; i < strings.Length; i++)
                strings[i] = r.Utf8();
            string? Text() => r.Int() is var index and >= 0 ? strings[index] : null;
            var modules = new int[r.Int()];
            for (var i = 0; i < modules.Length; i++)
            {
                var name = strings[r.Int()];
                if (resolve(name, r.Guid()) is not { } id)
                    return false;
                modules[i] = id;
            }
            CodeRef Ref()
            {
                var index = r.Int();
                var token = r.Int();
                return index switch { None => CodeRef.None, Self => new CodeRef(module.Id, token), _ => new CodeRef(modules[index], token) };
            }
            int[] Ints()
            {
                var values = new int[r.Int()];
                for (var i = 0; i < values.Length; i++)
                    values[i] = r.Int();
                return values;
            }
            VirtualMethod[] Virtuals()
            {
                var virtuals = new VirtualMethod[r.Int()];
                for (var i = 0; i < virtuals.Length; i++)
                {
                    var method = r.Int();
                    var key = Text()!;
                    var slots = new string[r.Int()];
                    for (var j = 0; j < slots.Length; j++)
                        slots[j] = Text()!;
                    virtuals[i] = new VirtualMethod(method, key, slots);
                }
                return virtuals;
            }
            var types = new List<(int, CompiledType)>();
            for (var n = r.Int(); n > 0; n--)
            {
                var token = r.Int();
                var name = Text()!;
                var ns = Text()!;
                var isAbstract = r.Byte() != 0;
                var baseType = Ref();
                var outer = Ref();
                var cctor = r.Int();
                var ctors = Ints();
                var virtuals = Virtuals();
                var statics = Ints();
                var interfaceSlots = new string[r.Int()];
                for (var i = 0; i < interfaceSlots.Length; i++)
                    interfaceSlots[i] = Text()!;
                types.Add((token, new CompiledType(name, ns, isAbstract, baseType, outer, cctor, ctors, virtuals, statics, interfaceSlots, Virtuals())));
            }
            var methods = new List<(int, CompiledMethod)>();
            for (var n = r.Int(); n > 0; n--)
            {
                var token = r.Int();
                var declaring = r.Int();
                var name = Text()!;
                var pinvoke = r.Byte() != 0;
                var pinvokeModule = Text()!;
                var pinvokeEntry = Text()!;
                var ops = new CodeOp[r.Int()];
                for (var i = 0; i < ops.Length; i++)
                {
                    var kind = (OpKind)r.Byte();
                    var target = Ref();
                    var offset = r.Int();
                    var text = Text();
                    var flags = r.Byte();
                    ops[i] = new CodeOp(kind, target, offset, text, (flags & 0x80) != 0, (FlagArgument)(flags & 0x7f));
                }
                methods.Add((token, new CompiledMethod(declaring, name, pinvoke, pinvokeModule, pinvokeEntry, ops)));
            }
            var typeNames = new List<(string, int)>();
            for (var n = r.Int(); n > 0; n--)
                typeNames.Add((Text()!, r.Int()));
            foreach (var (k, v) in types)
                module.Types.TryAdd(k, v);
            foreach (var (k, v) in methods)
                module.Methods.TryAdd(k, v);
            foreach (var (k, v) in typeNames)
                module.TypeNames.TryAdd(k, v);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or IndexOutOfRangeException or DecoderFallbackException)
        {
            return false; // corrupt or unreadable: compiled again and overwritten
        }
    }

    /// <summary>Written beside the target and moved over it, so a concurrent reader sees the old file or the new one, never half.</summary>
    public static void TryWrite(string file, ModuleCode module, Func<int, (string Name, Guid Mvid)> identity)
    {
        var dependencies = new List<int>();
        var indexOf = new Dictionary<int, int>();
        var strings = new List<string>();
        var stringIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        int Intern(string text)
        {
            if (!stringIndex.TryGetValue(text, out var index))
            {
                stringIndex[text] = index = strings.Count;
                strings.Add(text);
            }
            return index;
        }
        void Text(BinaryWriter w, string? text) => w.Write(text is null ? -1 : Intern(text));
        void Virtuals(BinaryWriter w, VirtualMethod[] virtuals)
        {
            w.Write(virtuals.Length);
            foreach (var v in virtuals)
            {
                w.Write(v.Token);
                Text(w, v.Key);
                w.Write(v.Slots.Length);
                foreach (var s in v.Slots)
                    Text(w, s);
            }
        }
        void Ref(BinaryWriter w, CodeRef r)
        {
            if (r.IsNone)
                w.Write(None);
            else if (r.Module == module.Id)
                w.Write(Self);
            else
            {
                if (!indexOf.TryGetValue(r.Module, out var index))
                {
                    indexOf[r.Module] = index = dependencies.Count;
                    dependencies.Add(r.Module);
                }
                w.Write(index);
            }
            w.Write(r.Token);
        }
        var temp = $"{file}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            // The body first, to learn which modules it refers to; the header that names them goes before it.
            using var body = new MemoryStream();
            using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
            {
                w.Write(module.Types.Count);
                foreach (var (token, t) in module.Types)
                {
                    w.Write(token);
                    Text(w, t.Name);
                    Text(w, t.Namespace);
                    w.Write(t.IsAbstract);
                    Ref(w, t.Base);
                    Ref(w, t.CompilerGeneratedOuter);
                    w.Write(t.StaticConstructor);
                    Ints(w, t.Constructors);
                    Virtuals(w, t.Virtuals);
                    Ints(w, t.StaticMethods);
                    w.Write(t.InterfaceSlots.Length);
                    foreach (var s in t.InterfaceSlots)
                        Text(w, s);
                    Virtuals(w, t.StaticVirtuals);
                }
                w.Write(module.Methods.Count);
                foreach (var (token, m) in module.Methods)
                {
                    w.Write(token);
                    w.Write(m.DeclaringType);
                    Text(w, m.Name);
                    w.Write(m.IsPInvoke);
                    Text(w, m.PInvokeModule);
                    Text(w, m.PInvokeEntry);
                    w.Write(m.Ops.Length);
                    foreach (var op in m.Ops)
                    {
                        w.Write((byte)op.Kind);
                        Ref(w, op.Target);
                        w.Write(op.Offset);
                        Text(w, op.Text);
                        w.Write((byte)((op.Flagged ? 0x80 : 0) | (byte)op.Flag));
                    }
                }
                w.Write(module.TypeNames.Count);
                foreach (var (name, token) in module.TypeNames)
                {
                    Text(w, name);
                    w.Write(token);
                }
            }
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
            using (var stream = File.Create(temp))
            using (var w = new BinaryWriter(stream, Encoding.UTF8))
            {
                w.Write(Magic);
                w.Write(FormatVersion);
                w.Write(AnalyzerBuild.ToByteArray());
                w.Write(module.Mvid.ToByteArray());
                var names = dependencies.Select(identity).ToList();
                foreach (var (name, _) in names)
                    Intern(name);
                w.Write(strings.Count);
                foreach (var text in strings)
                {
                    var bytes = Encoding.UTF8.GetBytes(text);
                    w.Write(bytes.Length);
                    w.Write(bytes);
                }
                w.Write(names.Count);
                foreach (var (name, mvid) in names)
                {
                    w.Write(stringIndex[name]);
                    w.Write(mvid.ToByteArray());
                }
                w.Flush();
                body.Position = 0;
                body.CopyTo(stream);
            }
            File.Move(temp, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only or full cache only costs the next run a recompilation.
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static void Ints(BinaryWriter w, int[] values)
    {
        w.Write(values.Length);
        foreach (var v in values)
            w.Write(v);
    }
}
