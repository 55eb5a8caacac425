using System.Text;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;

namespace Portcullis.Profiles.Loading;

/// <summary>Reads an input file (or "-" for standard input) with the checks every command shares: exists, at most 16 MiB, not empty, UTF-8.</summary>
public static class InputReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static InputText Read(string path, Stream? stdin = null)
    {
        byte[] bytes;
        var name = path == "-" ? "<stdin>" : path;
        try
        {
            if (path == "-")
            {
                bytes = ReadCapped(stdin ?? Console.OpenStandardInput(), name);
            }
            else
            {
                var info = new FileInfo(path);
                if (Directory.Exists(path))
                    throw ProfileException.At(DiagnosticId.FileUnreadable, "is a directory, not a profile file", new Origin(name, 0, 0));
                if (!info.Exists)
                    throw ProfileException.At(DiagnosticId.FileNotFound, "file not found", new Origin(name, 0, 0));
                if (info.Length > DocLimits.MaxInputBytes)
                    throw TooLarge(name, info.Length);
                using var stream = info.OpenRead();
                bytes = ReadCapped(stream, name);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ProfileException.At(DiagnosticId.FileUnreadable, "cannot be read: " + e.Message, new Origin(name, 0, 0));
        }

        var start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? 3 : 0;
        return new InputText(start == 0 ? bytes : bytes[start..], Decode(bytes, name), name);
    }

    /// <summary>The bytes as text: strict UTF-8 (a BOM dropped), not empty.</summary>
    public static string Decode(byte[] bytes, string name)
    {
        var start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? 3 : 0;
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            throw ProfileException.At(DiagnosticId.InvalidEncoding, $"is not UTF-8 text (bad byte at offset {e.Index + start})", new Origin(name, 0, 0));
        }
        if (string.IsNullOrWhiteSpace(text))
            throw ProfileException.At(DiagnosticId.FileEmpty, "the file is empty", new Origin(name, 0, 0));
        return text;
    }

    private static byte[] ReadCapped(Stream stream, string name)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > DocLimits.MaxInputBytes)
                throw TooLarge(name, buffer.Length);
        }
        return buffer.ToArray();
    }

    private static ProfileException TooLarge(string name, long length) =>
        ProfileException.At(DiagnosticId.FileTooLarge, $"is {length / (1024 * 1024.0):0.#} MiB; profiles larger than {DocLimits.MaxInputBytes / (1024 * 1024)} MiB are refused", new Origin(name, 0, 0));
}
