namespace Facemoji.Training.Data;

/// <summary>Bad rows or images passed over under --skip-bad: how many, and the first few reasons for the report.</summary>
public sealed class SkippedRecords
{
    public const int KeptMessages = 10;

    private readonly List<string> examples = [];

    public int Count { get; private set; }

    /// <summary>The first <see cref="KeptMessages"/> reasons ("fer.csv line 12: expected 2304 pixel values, found 2303").</summary>
    public IReadOnlyList<string> Examples => examples;

    public void Add(string message)
    {
        Count++;
        if (examples.Count < KeptMessages)
        {
            examples.Add(message);
        }
    }

    internal void AddRange(int count, IEnumerable<string> messages)
    {
        foreach (var message in messages.Take(Math.Max(0, KeptMessages - examples.Count)))
        {
            examples.Add(message);
        }

        Count += count;
    }
}
