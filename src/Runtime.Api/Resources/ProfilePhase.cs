namespace Portcullis.Runtime.Resources;

/// <summary>Overall state of a profile across the nodes that run the agent.</summary>
public static class ProfilePhase
{
    public const string Pending = "Pending";
    public const string Installed = "Installed";
    public const string Partial = "Partial";
    public const string Rejected = "Rejected";
}
