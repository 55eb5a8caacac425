namespace Inventory;

public sealed record Item(long Id, string Name, int Quantity);
