using k8s.Models;

namespace Portcullis.Runtime.Kubernetes;

/// <summary>The one shape of Event Portcullis writes: a Warning about a pod or a node, from one of its components.</summary>
public static class WarningEvent
{
    private const int MaxMessage = 1000;

    public static Corev1Event Pod(string ns, string podName, string? podUid, string reason, string message, string component, DateTime now) =>
        Create(ns, new V1ObjectReference { Kind = "Pod", ApiVersion = "v1", NamespaceProperty = ns, Name = podName, Uid = podUid }, reason, message, component, now);

    /// <summary>Nodes are cluster-scoped; their Events live in "default", where kubectl describe node looks for them.</summary>
    public static Corev1Event Node(string nodeName, string? nodeUid, string reason, string message, string component, DateTime now) =>
        Create("default", new V1ObjectReference { Kind = "Node", ApiVersion = "v1", Name = nodeName, Uid = nodeUid }, reason, message, component, now);

    private static Corev1Event Create(string ns, V1ObjectReference about, string reason, string message, string component, DateTime now) => new()
    {
        Metadata = new V1ObjectMeta { GenerateName = "portcullis-", NamespaceProperty = ns },
        InvolvedObject = about,
        Reason = reason,
        Message = message.Length <= MaxMessage ? message : message[..MaxMessage],
        Type = "Warning",
        Source = new V1EventSource { Component = component },
        FirstTimestamp = now,
        LastTimestamp = now,
        Count = 1,
    };
}
