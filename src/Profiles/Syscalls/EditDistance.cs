namespace Portcullis.Profiles.Syscalls;

/// <summary>Levenshtein distance, cut off early once it cannot beat a known best.</summary>
public static class EditDistance
{
    public static int Between(string a, string b, int giveUpAbove = int.MaxValue)
    {
        if (Math.Abs(a.Length - b.Length) > giveUpAbove)
            return int.MaxValue;
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                rowMin = Math.Min(rowMin, current[j]);
            }
            if (rowMin > giveUpAbove)
                return int.MaxValue;
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
