namespace Portcullis.Profiles.Loading;

/// <summary>The bytes of one input, decoded, with the name used in messages (the path as given, or &lt;stdin&gt;).</summary>
public sealed record InputText(byte[] Utf8, string Text, string DisplayName);
