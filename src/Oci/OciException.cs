using System.Net;

namespace Portcullis.Oci;

/// <summary>
/// A registry operation failed. The message is one line naming the registry, repository, HTTP status and
/// the registry's own error code where there is one; it never contains credentials.
/// </summary>
public sealed class OciException : Exception
{
    public OciException()
    {
    }

    public OciException(string message)
        : base(message)
    {
    }

    public OciException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public OciException(string message, HttpStatusCode status, string? registryCode)
        : base(message)
    {
        Status = status;
        RegistryCode = registryCode;
    }

    public HttpStatusCode? Status { get; }
    public string? RegistryCode { get; }
}
