using StatefunOperator.Operator.Controller;

namespace StatefunOperator.Operator.Tests.Controller;

public class RateLimitedWorkQueueTests
{
    [Fact]
    public async Task AddingAKeyTwice_QueuesItOnce()
    {
        using var queue = new RateLimitedWorkQueue<string>(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");
        Assert.Equal(2, queue.Pending);
        Assert.Equal("a", await queue.TakeAsync(CancellationToken.None));
        Assert.Equal("b", await queue.TakeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task KeyAddedWhileProcessing_ComesBackOnlyAfterDone()
    {
        using var queue = new RateLimitedWorkQueue<string>(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));
        queue.Add("a");
        var key = await queue.TakeAsync(CancellationToken.None);
        queue.Add("a");
        using var shortWait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await queue.TakeAsync(shortWait.Token));
        queue.Done(key);
        Assert.Equal("a", await queue.TakeAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30))); // a bound for a hang, not a timing: a busy machine took over 1 s
    }

    [Fact]
    public void RetryDelay_DoublesPerFailure_UpToTheMaximum()
    {
        using var queue = new RateLimitedWorkQueue<string>(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        Assert.Equal(
            [100, 200, 400, 800, 1000, 1000],
            Enumerable.Range(0, 6).Select(n => (int)queue.RetryDelay(n).TotalMilliseconds));
    }

    [Fact]
    public async Task AddRateLimited_CountsFailures_AndForgetResetsThem()
    {
        using var queue = new RateLimitedWorkQueue<string>(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromMilliseconds(10), queue.AddRateLimited("a"));
        Assert.Equal("a", await queue.TakeAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30))); // a bound for a hang, not a timing: a busy machine took over 1 s
        queue.Done("a");
        Assert.Equal(TimeSpan.FromMilliseconds(20), queue.AddRateLimited("a"));
        Assert.Equal(2, queue.Failures("a"));
        queue.Forget("a");
        Assert.Equal(0, queue.Failures("a"));
    }
}
