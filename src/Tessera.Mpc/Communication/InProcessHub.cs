using System.Threading.Channels;

namespace Tessera.Mpc.Communication;

/// <summary>
/// The shared state of one in-process group: an unbounded FIFO channel for every ordered pair of ranks and, per rank, a
/// flag saying that its communicator was disposed. Channels carry copies of the payloads, so no party can see or change
/// another party's buffers.
/// </summary>
internal sealed class InProcessHub
{
    private readonly Channel<byte[]>[,] _channels;
    private readonly int[] _closed;

    public InProcessHub(int parties)
    {
        Parties = parties;
        _channels = new Channel<byte[]>[parties, parties];
        _closed = new int[parties];
        for (var from = 0; from < parties; from++)
        {
            for (var to = 0; to < parties; to++)
            {
                if (from != to)
                {
                    _channels[from, to] = Channel.CreateUnbounded<byte[]>(
                        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
                }
            }
        }
    }

    public int Parties { get; }

    /// <summary>The channel carrying messages from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public Channel<byte[]> Link(int from, int to) => _channels[from, to];

    public bool IsClosed(int rank) => Volatile.Read(ref _closed[rank]) != 0;

    /// <summary>
    /// Marks <paramref name="rank"/> gone: its outgoing channels complete (messages already sent stay readable, as on a
    /// socket closed after writing, then readers fail), and channels towards it complete so that senders fail.
    /// </summary>
    public void Close(int rank)
    {
        if (Interlocked.Exchange(ref _closed[rank], 1) != 0)
        {
            return;
        }

        for (var other = 0; other < Parties; other++)
        {
            if (other != rank)
            {
                _channels[rank, other].Writer.TryComplete();
                _channels[other, rank].Writer.TryComplete();
            }
        }
    }
}
