namespace Portcullis.Oci.Transport;

/// <summary>A user name and password (or identity token as password) for one registry. ToString never shows the secret.</summary>
public sealed record RegistryCredentials(string Username, string Password)
{
    public override string ToString() => $"{Username}:***";
}
