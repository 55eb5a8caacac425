namespace Worker;

public sealed record FileResult(string Name, int Words, string Sha256, long CompressedBytes);
