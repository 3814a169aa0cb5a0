namespace Facemoji.Web.Live;

/// <summary>Counts the open live sockets and refuses one over the cap (each holds an analyzer and a tracker).</summary>
internal sealed class SocketGate
{
    private readonly int capacity;
    private int open;

    public SocketGate(int capacity) => this.capacity = capacity;

    public int Open => Volatile.Read(ref open);

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref open) <= capacity)
        {
            return true;
        }

        Interlocked.Decrement(ref open);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref open);
}
