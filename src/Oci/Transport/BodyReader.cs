using System.Security.Cryptography;

namespace Portcullis.Oci.Transport;

/// <summary>
/// Reads response bodies with a size cap and a time limit. HttpClient's timeout ends when the headers
/// arrive (ResponseHeadersRead), so a body that trickles would otherwise hold the caller forever.
/// </summary>
internal static class BodyReader
{
    /// <summary>The body, refused past <paramref name="maxBytes"/> or after <paramref name="timeout"/>; hashed on the way when <paramref name="hash"/> is given.</summary>
    public static async Task<byte[]> ReadAsync(HttpResponseMessage response, long maxBytes, TimeSpan timeout, string where, IncrementalHash? hash, CancellationToken cancel)
    {
        if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
            throw new OciException($"{where}: {length} bytes is more than the {maxBytes} accepted");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(limit.Token).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = await stream.ReadAsync(chunk, limit.Token).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > maxBytes)
                    throw new OciException($"{where}: more than the {maxBytes} bytes accepted");
                hash?.AppendData(chunk, 0, n);
                buffer.Write(chunk, 0, n);
            }
            return buffer.ToArray();
        }
        catch (OperationCanceledException e) when (!cancel.IsCancellationRequested)
        {
            throw new OciException($"{where}: the body did not arrive within {timeout.TotalSeconds:0.###} s", e);
        }
    }
}
