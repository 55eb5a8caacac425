using k8s.Models;

namespace Portcullis.Runtime.Kubernetes;

/// <summary>The one shape of Event Portcullis writes: a Warning about a pod, from one of its components.</summary>
public static class PodWarning
{
    private const int MaxMessage = 1000;

    public static Corev1Event Create(string ns, string podName, string? podUid, string reason, string message, string component, DateTime now) => new()
    {
        Metadata = new V1ObjectMeta { GenerateName = "portcullis-", NamespaceProperty = ns },
        InvolvedObject = new V1ObjectReference { Kind = "Pod", ApiVersion = "v1", NamespaceProperty = ns, Name = podName, Uid = podUid },
        Reason = reason,
        Message = message.Length <= MaxMessage ? message : message[..MaxMessage],
        Type = "Warning",
        Source = new V1EventSource { Component = component },
        FirstTimestamp = now,
        LastTimestamp = now,
        Count = 1,
    };
}
