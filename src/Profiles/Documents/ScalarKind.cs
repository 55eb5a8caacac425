namespace Portcullis.Profiles.Documents;

public enum ScalarKind
{
    String,
    Number,
    Boolean,
    Null,
}
