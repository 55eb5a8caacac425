namespace Portcullis.Runtime.Resources;

public static class NodeState
{
    public const string Installed = "Installed";
    public const string Failed = "Failed";
    public const string Unsupported = "Unsupported";
}
