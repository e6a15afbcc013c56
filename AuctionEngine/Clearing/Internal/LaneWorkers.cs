using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace AuctionEngine.Clearing.Internal;

/// <summary>
/// Dedicated background threads that run the lanes of a fork-join step: the caller runs lane 0, worker k runs lane k,
/// and <see cref="Run"/> returns when every lane is done.
/// </summary>
/// <remarks>
/// <para>
/// The thread pool is the wrong tool for steps of a few milliseconds repeated batch after batch: queuing a work item
/// may allocate, a pool thread that has gone to sleep takes tens of microseconds to wake, and the pool's own
/// heuristics make timings erratic. These workers are created once, allocate nothing per step, and spin for
/// <see cref="SpinIterationsBeforeSleeping"/> rounds after a step before they block, so the next step of the same
/// batch, or the next batch, usually finds them awake.
/// </para>
/// <para>
/// One step at a time, from one calling thread: the engine that owns the workers is itself not thread-safe.
/// </para>
/// </remarks>
internal sealed class LaneWorkers : IDisposable
{
    /// <summary>
    /// Rounds of <see cref="Thread.SpinWait"/> a worker waits for the next step before it blocks: about 0.1 ms, enough
    /// to bridge the serial work between a batch's steps, short enough not to hold a core while the host waits for the
    /// next block.
    /// </summary>
    private const int SpinIterationsBeforeSleeping = 4_000;

    private readonly Worker[] _workers;
    private Action<int>? _step;

    // A step's number and lane count in one word (number × 256 + lanes), so that a worker reads both at once: read
    // apart, a worker that sat out one step could take the next step's lane count for its own and run a lane twice.
    private long _ticket;
    private int _pending;
    private Exception? _error;
    private volatile bool _disposed;

    /// <param name="workerCount">How many threads to start: one fewer than the lanes a step may have.</param>
    /// <param name="name">The threads' name, as debuggers and profilers show it.</param>
    public LaneWorkers(int workerCount, string name)
    {
        Debug.Assert(workerCount >= 1);
        _workers = new Worker[workerCount];
        for (int k = 0; k < workerCount; k++)
        {
            _workers[k] = new Worker(this, lane: k + 1, name);
        }
    }

    /// <summary>The most lanes one step may have: the workers and the calling thread.</summary>
    public int MaxLanes => _workers.Length + 1;

    /// <summary>
    /// Runs <paramref name="step"/>(0) on the calling thread and <paramref name="step"/>(k) for every other lane k below
    /// <paramref name="lanes"/> on worker k, and returns when all are done.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The workers were disposed.</exception>
    /// <remarks>An exception thrown by any lane is rethrown here, once every lane has finished.</remarks>
    public void Run(int lanes, Action<int> step)
    {
        Debug.Assert(lanes >= 1 && lanes <= MaxLanes);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _step = step;
        _error = null;
        _pending = lanes - 1;

        // A full fence: a worker that sees the new ticket sees the step and the countdown too.
        Interlocked.Exchange(ref _ticket, NextTicket(_ticket, lanes));
        for (int k = 0; k < lanes - 1; k++)
        {
            _workers[k].Wake();
        }

        Exception? error = null;
        try
        {
            step(0);
        }
        catch (Exception e)
        {
            error = e;
        }

        // The lanes are the same size, so the workers finish about now: spinning (which yields if they do not) costs
        // less than blocking on a kernel event.
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _pending) != 0)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        _step = null;
        error ??= _error;
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }
    }

    /// <summary>Stops the workers and waits for their threads to end.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Interlocked.Exchange(ref _ticket, NextTicket(_ticket, lanes: 0));
        foreach (Worker worker in _workers)
        {
            worker.Wake();
        }

        foreach (Worker worker in _workers)
        {
            worker.Dispose();
        }
    }

    private static long NextTicket(long ticket, int lanes) => ((ticket >> 8) + 1) << 8 | (uint)lanes;

    private sealed class Worker : IDisposable
    {
        private readonly LaneWorkers _owner;
        private readonly int _lane;
        private readonly ManualResetEventSlim _wake = new(initialState: false, spinCount: 1);
        private readonly Thread _thread;

        public Worker(LaneWorkers owner, int lane, string name)
        {
            _owner = owner;
            _lane = lane;
            _thread = new Thread(Loop) { IsBackground = true, Name = $"{name} {lane}" };
            _thread.Start();
        }

        public void Wake() => _wake.Set();

        /// <summary>Waits for the thread to end, once the owner has told it to.</summary>
        public void Dispose()
        {
            _thread.Join();
            _wake.Dispose();
        }

        private void Loop()
        {
            long seen = 0;
            while (true)
            {
                seen = AwaitTicket(seen);
                if (_owner._disposed)
                {
                    return;
                }

                if (_lane >= (int)(seen & 0xFF))
                {
                    continue;
                }

                try
                {
                    _owner._step!(_lane);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _owner._error, e, null);
                }
                finally
                {
                    Interlocked.Decrement(ref _owner._pending);
                }
            }
        }

        /// <summary>Waits for a ticket other than <paramref name="seen"/>: spinning first, then blocking.</summary>
        private long AwaitTicket(long seen)
        {
            for (int spin = 0; spin < SpinIterationsBeforeSleeping; spin++)
            {
                long ticket = Volatile.Read(ref _owner._ticket);
                if (ticket != seen)
                {
                    return ticket;
                }

                Thread.SpinWait(1);
            }

            while (true)
            {
                // Reset before reading the ticket, so that a wake sent after the read is never lost.
                _wake.Reset();
                long ticket = Volatile.Read(ref _owner._ticket);
                if (ticket != seen)
                {
                    return ticket;
                }

                _wake.Wait();
            }
        }
    }
}
