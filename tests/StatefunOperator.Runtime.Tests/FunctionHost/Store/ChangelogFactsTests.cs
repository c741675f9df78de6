using StatefunOperator.Runtime.FunctionHost.Store;

namespace StatefunOperator.Runtime.Tests.FunctionHost.Store;

/// <summary>S10: when a partition's store is trusted, and why not (then the whole changelog is read into a new one).</summary>
public class ChangelogFactsTests
{
    private const long Now = 1_000_000_000;
    private static readonly ChangelogFacts Facts = new("topic-a", DeleteRetentionMs: 86_400_000);

    [Fact]
    public void S10_AStoreOfThisChangelog_WithinItsOffsets_AndRecent_IsTrusted() =>
        Assert.Null(Facts.Distrust(new StorePosition("topic-a", 500, Now - 60_000), low: 0, high: 800, Now));

    [Fact]
    public void S10_AStoreOfAnotherChangelog_SameNameButAnotherTopicId_IsNotTrusted() =>
        Assert.Contains("another changelog", Facts.Distrust(new StorePosition("topic-b", 500, Now), 0, 800, Now), StringComparison.Ordinal);

    [Fact]
    public void S10_AStoreAheadOfTheChangelogsEnd_IsNotTrusted() =>
        Assert.Contains("deleted and created again", Facts.Distrust(new StorePosition("topic-a", 900, Now), 0, 800, Now), StringComparison.Ordinal);

    [Fact]
    public void S10_AStoreBehindTheChangelogsStart_IsNotTrusted() =>
        Assert.Contains("starts at offset 600", Facts.Distrust(new StorePosition("topic-a", 500, Now), 600, 800, Now), StringComparison.Ordinal);

    [Fact]
    public void S10_AStoreOlderThanTheDeleteRetention_IsNotTrusted_CompactionMayHaveDroppedTombstonesItNeverSaw() =>
        Assert.Contains("delete.retention.ms", Facts.Distrust(new StorePosition("topic-a", 500, Now - 86_400_001), 0, 800, Now), StringComparison.Ordinal);

    [Fact]
    public void S10_UnknownTopicIdsOrRetention_AreNotHeldAgainstAStore()
    {
        var unknown = new ChangelogFacts(string.Empty, null);

        Assert.Null(unknown.Distrust(new StorePosition("topic-a", 500, 0), 0, 800, Now));
        Assert.Null(Facts.Distrust(new StorePosition(string.Empty, 500, Now), 0, 800, Now));
    }
}
