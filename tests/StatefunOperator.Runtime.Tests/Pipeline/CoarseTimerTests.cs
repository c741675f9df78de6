using StatefunOperator.Runtime.Pipeline;

namespace StatefunOperator.Runtime.Tests.Pipeline;

public class CoarseTimerTests
{
    [Fact]
    public void CoarseTimer_NotStarted_NeverElapses_Started_ElapsesAtOnceForAZeroInterval()
    {
        var idle = CoarseTimer.NotStarted();
        Assert.False(idle.HasElapsed(TimeSpan.Zero));
        idle.Restart();
        Assert.True(idle.HasElapsed(TimeSpan.Zero));
        Assert.False(CoarseTimer.StartNew().HasElapsed(TimeSpan.FromHours(1)));
    }
}
