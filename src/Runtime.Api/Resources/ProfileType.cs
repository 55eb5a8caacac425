namespace Portcullis.Runtime.Resources;

[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ProfileType>))]
public enum ProfileType
{
    Seccomp,
    AppArmor,
}
