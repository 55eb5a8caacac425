namespace Inventory;

public sealed record NewItem(string Name, int Quantity);
