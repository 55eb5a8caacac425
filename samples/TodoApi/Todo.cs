namespace TodoApi;

public sealed record Todo(Guid Id, string Title, bool Done);
