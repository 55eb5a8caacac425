namespace Portcullis.Runtime.Hosting;

[Flags]
public enum Role
{
    None = 0,
    Webhook = 1,
    Controller = 2,
    Agent = 4,
}
