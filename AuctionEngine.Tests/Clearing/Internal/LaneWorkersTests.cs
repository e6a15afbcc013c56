using AuctionEngine.Clearing.Internal;
using NUnit.Framework;

namespace AuctionEngine.Tests.Clearing.Internal;

/// <summary>
/// The fork-join workers behind a parallel clearing engine: every lane of every step runs exactly once, on the right
/// thread, whether the workers were spinning or asleep when the step arrived, and a failure in any lane reaches the
/// caller.
/// </summary>
[TestFixture]
public sealed class LaneWorkersTests
{
    [Test]
    public void EveryLaneOfEveryStepRunsOnceAndTheCallerRunsLaneZero()
    {
        using var workers = new LaneWorkers(3, "test lane");
        var runs = new int[4];
        var callerThread = Environment.CurrentManagedThreadId;
        var laneZeroThreads = new HashSet<int>();
        var otherLaneThreads = new HashSet<int>();
        const int Steps = 2_000;
        for (int step = 0; step < Steps; step++)
        {
            int lanes = 1 + (step % 4);
            workers.Run(lanes, lane =>
            {
                Interlocked.Increment(ref runs[lane]);
                lock (laneZeroThreads)
                {
                    (lane == 0 ? laneZeroThreads : otherLaneThreads).Add(Environment.CurrentManagedThreadId);
                }
            });
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(runs, Is.EqualTo(new[] { Steps, Steps * 3 / 4, Steps / 2, Steps / 4 }));
            Assert.That(laneZeroThreads, Is.EqualTo(new[] { callerThread }));
            Assert.That(otherLaneThreads, Has.Count.EqualTo(3).And.No.Member(callerThread));
        }
    }

    [Test]
    public void StepsThatFindTheWorkersAsleepStillRunEveryLane()
    {
        using var workers = new LaneWorkers(1, "test lane");
        int runs = 0;
        for (int step = 0; step < 20; step++)
        {
            // Long enough for the worker to stop spinning and block, so the step has to wake it.
            Thread.Sleep(5);
            workers.Run(2, lane => Interlocked.Add(ref runs, lane + 1));
        }

        Assert.That(runs, Is.EqualTo(20 * 3));
    }

    [Test]
    public void AFailingWorkerLaneIsRethrownOnTheCallerAndTheWorkersCarryOn()
    {
        using var workers = new LaneWorkers(2, "test lane");
        var failure = new InvalidOperationException("lane 2 failed");

        Assert.That(() => workers.Run(3, lane => { if (lane == 2) throw failure; }), Throws.Exception.SameAs(failure));

        int runs = 0;
        workers.Run(3, _ => Interlocked.Increment(ref runs));
        Assert.That(runs, Is.EqualTo(3));
    }

    [Test]
    public void ACallerLaneFailureWaitsForTheOtherLanesBeforeItIsRethrown()
    {
        using var workers = new LaneWorkers(1, "test lane");
        int finished = 0;

        Assert.That(
            () => workers.Run(2, lane =>
            {
                if (lane == 0)
                {
                    throw new InvalidOperationException("lane 0 failed");
                }

                Thread.Sleep(20);
                Volatile.Write(ref finished, 1);
            }),
            Throws.InvalidOperationException);
        Assert.That(Volatile.Read(ref finished), Is.EqualTo(1), "the worker's lane was still running when Run returned");
    }

    [Test]
    public void DisposedWorkersRefuseSteps()
    {
        var workers = new LaneWorkers(2, "test lane");
        workers.Run(3, _ => { });
        workers.Dispose();
        workers.Dispose();

        Assert.That(() => workers.Run(3, _ => { }), Throws.TypeOf<ObjectDisposedException>());
    }
}
