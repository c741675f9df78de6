using StatefunOperator.Runtime.FunctionHost;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

public class DeferredChangelogTests
{
    private readonly List<ChangelogWrite> _produced = [];
    private readonly DeferredChangelog _changelog;

    public DeferredChangelogTests()
    {
        _changelog = new DeferredChangelog(_produced.Add);
    }

    [Fact]
    public void WritesAreProducedOnlyWhenTheTakenBatchIs_InTheOrderWritten()
    {
        var first = Write(0, "a");
        var second = Write(1, "b");
        _changelog.Add(first);
        _changelog.Add(second);

        var batch = _changelog.Take();
        Assert.Empty(_produced);
        Assert.Null(_changelog.Take());

        batch!();
        Assert.Equal([first, second], _produced);
    }

    [Fact]
    public void AForgottenPartitionsWrites_TakenOrNot_AreDropped_ButItsWritesAfterOwningItAgainAreNot()
    {
        _changelog.Add(Write(0, "taken"));
        var taken = _changelog.Take()!;
        _changelog.Add(Write(0, "held"));
        var kept = Write(1, "other partition");
        _changelog.Add(kept);

        _changelog.Forget([0]);
        var again = Write(0, "owned again");
        _changelog.Add(again);
        taken();
        _changelog.Take()!();

        Assert.Equal([kept, again], _produced);
    }

    private static ChangelogWrite Write(int partition, string key) => new(partition, System.Text.Encoding.UTF8.GetBytes(key), [1]);
}
