using System.Net;

namespace Portcullis.Runtime.Kubernetes;

/// <summary>A refused API call, with the HTTP status the API server gave.</summary>
public sealed class ClusterApiException(HttpStatusCode status, string message, Exception? inner = null) : Exception(message, inner)
{
    public HttpStatusCode Status { get; } = status;

    public bool IsConflict => Status == HttpStatusCode.Conflict;

    public bool IsNotFound => Status == HttpStatusCode.NotFound;

    public bool IsAlreadyExists => Status == HttpStatusCode.Conflict;
}
