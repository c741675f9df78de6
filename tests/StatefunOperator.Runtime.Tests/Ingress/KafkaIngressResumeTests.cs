using Confluent.Kafka;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.Ingress;

/// <summary>The startup position is applied once per configuration; restarts and rebalances resume from committed progress.</summary>
public class KafkaIngressResumeTests
{
    [Fact]
    public async Task Restart_ResumesFromCommittedProgress_InsteadOfApplyingEarliestAgain()
    {
        var topic = await TestTopic.CreateAsync("restart", partitions: 2);
        await topic.ProduceAsync(perPartition: 4);
        var group = KafkaTestBroker.UniqueName("group");
        var spec = topic.Ingress(group).WithStartupPosition(KafkaIngressStartupPosition.FromEarliest()).Build();

        await using (var first = IngressRun<RoutableMessage>.Start(spec))
        {
            await first.ExpectExactlyAsync(8);
        }

        Assert.Equal(new Dictionary<int, long> { [0] = 4, [1] = 4 }, topic.CommittedOffsets(group));
        await topic.ProduceAsync(perPartition: 1, firstIndex: 4);
        await using var second = IngressRun<RoutableMessage>.Start(spec);
        var records = await second.ExpectExactlyAsync(2);

        Assert.Equal(new Dictionary<int, long> { [0] = 4, [1] = 4 }, records.FirstOffsetPerPartition());
        Assert.All(second.Decisions, d => Assert.Equal(StartOffsetReason.Resumed, d.Reason));
    }

    [Fact]
    public async Task ChangedStartupPosition_IsAppliedAgain()
    {
        var topic = await TestTopic.CreateAsync("changed", partitions: 1);
        await topic.ProduceAsync(perPartition: 5);
        var group = KafkaTestBroker.UniqueName("group");

        await using (var first = IngressRun<RoutableMessage>.Start(topic.Ingress(group).WithStartupPosition(KafkaIngressStartupPosition.FromEarliest()).Build()))
        {
            await first.ExpectExactlyAsync(5);
        }

        var rewind = KafkaIngressStartupPosition.FromSpecificOffsets(new Dictionary<TopicPartition, long> { [new TopicPartition(topic.Name, 0)] = 1 });
        await using var second = IngressRun<RoutableMessage>.Start(topic.Ingress(group).WithStartupPosition(rewind).Build());
        var records = await second.ExpectExactlyAsync(4);

        Assert.Equal(1, records[0].Source.Offset.Value);
    }

    [Fact]
    public async Task CrashBeforeTheFirstCommit_ResumesFromTheStartPosition_NotFromTheFallback()
    {
        // The start offset is committed at assignment: an ingress that dies before committing any
        // progress does not skip to 'latest' (the fallback) when it comes back.
        var topic = await TestTopic.CreateAsync("early-crash", partitions: 1);
        await topic.ProduceAsync(perPartition: 3);
        var group = KafkaTestBroker.UniqueName("group");
        var spec = topic.Ingress(group).WithStartupPosition(KafkaIngressStartupPosition.FromEarliest()).Build();
        var failing = new KafkaIngress<RoutableMessage>(spec, new FailingSink(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.RunAsync(CancellationToken.None));
        failing.Dispose();

        await using var again = IngressRun<RoutableMessage>.Start(spec);
        var records = await again.ExpectExactlyAsync(3);

        Assert.Equal(0, records[0].Source.Offset.Value);
    }

    [Fact]
    public async Task Rebalance_NewMemberResumesTakenOverPartitionsFromCommits_AndNothingIsReadTwice()
    {
        var topic = await TestTopic.CreateAsync("rebalance", partitions: 4);
        await topic.ProduceAsync(perPartition: 3);
        var group = KafkaTestBroker.UniqueName("group");
        var spec = topic.Ingress(group).WithStartupPosition(KafkaIngressStartupPosition.FromEarliest()).Build();

        await using var first = IngressRun<RoutableMessage>.Start(spec);
        await first.ExpectExactlyAsync(12);
        await WaitUntil(() => topic.CommittedOffsets(group).Values.Count(o => o == 3) == 4, "the first member did not commit its progress");
        await using var second = IngressRun<RoutableMessage>.Start(spec);
        await second.FirstAssignmentAsync();
        await WaitUntil(() => first.Decisions.Count > 4, "the first member was not reassigned");
        await topic.ProduceAsync(perPartition: 1, firstIndex: 3);
        await WaitUntil(() => first.Sink.Records.Count + second.Sink.Records.Count >= 16, "the 4 new records did not arrive");
        await Task.Delay(1500);

        var all = first.Sink.Records.Concat(second.Sink.Records).Select(r => r.Source.ToString()).ToArray();
        Assert.Equal(16, all.Length);
        Assert.Equal(all.Length, all.Distinct().Count());
        Assert.NotEmpty(second.Sink.Records);
        Assert.All(second.Decisions, d => Assert.Equal(StartOffsetReason.Resumed, d.Reason));
    }

    private static async Task WaitUntil(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + IngressRun<RoutableMessage>.Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(100);
        }
    }

    private sealed class FailingSink : IIngressSink<RoutableMessage>
    {
        public ValueTask DeliverAsync(IngressRecord<RoutableMessage> record, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the function is down");
    }
}
