namespace Portcullis.Profiles.Recordings;

/// <summary>A socket the target created (family/type/protocol as numbers and names), or a port or Unix path it bound.</summary>
public sealed record SocketObservation(int Family, int Type, int Protocol, int? BoundPort, string? UnixPath, IReadOnlySet<Backend> SeenBy)
{
    public string FamilyName => SocketNames.Family(Family);
    public string TypeName => SocketNames.Type(Type);
}
