namespace AuctionEngine.Cli.Clear;

/// <summary>
/// The line each order was read from, without a number per order: consecutive orders sit on consecutive lines except
/// after a blank line (or at the start of a block read by another thread), so only those places are kept, as anchors.
/// </summary>
/// <remarks>For Parquet input the "line" is the 1-based row number, one anchor in all.</remarks>
internal sealed class LineMap
{
    private readonly List<(int Order, long Line)> _anchors = [];

    /// <summary>Records that order <paramref name="order"/> is on line <paramref name="line"/>; orders must arrive in increasing order.</summary>
    public void Add(int order, long line)
    {
        if (_anchors.Count > 0)
        {
            (int lastOrder, long lastLine) = _anchors[^1];
            if (line - lastLine == order - lastOrder)
            {
                return; // Already implied by the last anchor.
            }
        }

        _anchors.Add((order, line));
    }

    /// <summary>The 1-based line of order <paramref name="order"/>.</summary>
    public long LineOf(int order)
    {
        int low = 0;
        int high = _anchors.Count - 1;
        while (low < high)
        {
            int middle = (low + high + 1) >>> 1;
            if (_anchors[middle].Order <= order)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        (int anchorOrder, long anchorLine) = _anchors[low];
        return anchorLine + (order - anchorOrder);
    }
}
