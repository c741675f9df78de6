using StatefunOperator.Testing;

namespace StatefunOperator.Runtime.Tests.Support;

/// <summary>The tests' own directories: repeated runs keep the newest few ended runs and never a running one.</summary>
public class TestScratchTests
{
    [Fact]
    public void OfEndedRuns_TheNewestAreKept_TheOthersDeleted_AndRunningOnesNeverTouched()
    {
        string[] runs =
        [
            "20261207T100000.000-101", "20261207T110000.000-102", "20261207T120000.000-103",
            "20261207T090000.000-200", // older, but its process still runs
            "kept-by-someone",         // not a run of this class: left alone
        ];

        var stale = TestScratch.Stale(runs, pid => pid == 200, keep: 2);

        Assert.Equal(["20261207T100000.000-101"], stale);
    }

    [Fact]
    public void ADirectory_IsMadeUnderThisRunsDirectory_AndInProcessStoresHaveADirectoryNamed()
    {
        var directory = TestScratch.Create("scratch-test-");

        Assert.True(directory.Exists);
        Assert.Equal(TestScratch.Prepare(), directory.Parent!.FullName);
        Assert.StartsWith(TestScratch.Root, directory.FullName, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("STATEFUN_STATE_DIR")));
    }
}
