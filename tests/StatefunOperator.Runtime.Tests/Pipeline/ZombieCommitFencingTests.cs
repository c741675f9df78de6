using Confluent.Kafka;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Pipeline;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing.Kafka;
using Xunit.Abstractions;

namespace StatefunOperator.Runtime.Tests.Pipeline;

/// <summary>
/// S9: a host evicted from its group but still alive (a long pause, a partition) commits nothing more. Its last
/// transaction may carry no newly consumed offsets at all (only answers of calls that were in flight, fired delayed
/// messages, expiry): that transaction too must go through the group, so that the broker refuses it from a member
/// the group has moved on from (KIP-447). Here the zombie is a real consumer's group membership, taken while it owned
/// the partition, after which it left and another member took the partition.
/// </summary>
public sealed class ZombieCommitFencingTests(ITestOutputHelper output)
{
    [RealBrokerFact]
    public async Task S9_ATransactionWithAnswersOnly_FromAMemberTheGroupMovedOnFrom_IsRefused_AndNothingBecomesVisible()
    {
        var broker = await KafkaTestBroker.GetRealAsync();
        var input = await TestTopic.CreateAsync("s9-in", partitions: 1, broker);
        await input.ProduceAsync(perPartition: 5);
        var outputTopic = KafkaTestBroker.UniqueName("s9-out");
        await broker.CreateTopicAsync(outputTopic, 1);
        var group = KafkaTestBroker.UniqueName("s9");

        IConsumerGroupMetadata zombieMembership;
        using (var zombie = GroupMember.Join(broker, group, input.Name))
        {
            zombieMembership = zombie.ConsumerGroupMetadata;
            zombie.Close();
        }

        using var successor = GroupMember.Join(broker, group, input.Name);
        var partition = new TopicPartition(input.Name, 0);
        using var producer = new KafkaEgressProducer(
            new ProducerConfig { BootstrapServers = broker.BootstrapServers, TransactionalId = KafkaTestBroker.UniqueName("s9-zombie"), EnableIdempotence = true },
            TestLogging.Logger("s9"));
        var checkpoint = new TransactionalCheckpoint(producer, new CheckpointOptions(TimeSpan.FromMilliseconds(1), 1000), TestLogging.Logger("s9"));
        checkpoint.Attach(new LeftMember(zombieMembership, [partition]));
        checkpoint.OnAssigned([new TopicPartitionOffset(partition, 5)]);

        // An answer applied after the partition moved: an output, no consumed offset.
        checkpoint.BeforeRecord();
        producer.Produce(new KafkaEgressRecord(outputTopic, null, "answer of a call in flight"u8.ToArray()), _ => { });
        await Task.Delay(20);
        var refused = Assert.ThrowsAny<KafkaException>(checkpoint.OnPoll);
        output.WriteLine($"{broker.Description}: the zombie's commit was refused: {refused.Error.Code} ({refused.Error.Reason}); fatal: {refused.Error.IsFatal}");
        if (!refused.Error.IsFatal)
        {
            Assert.True(checkpoint.TryRecover(refused), "an abortable refusal is recovered by aborting");
        }

        var visible = await TopicReader.ReadAsync(broker, outputTopic, partitions: 1, expected: 1, TimeSpan.FromSeconds(5), TimeSpan.Zero);
        Assert.Empty(visible);
        Assert.Equal(0, checkpoint.Commits);
    }

    /// <summary>The consumer side of a member that has left its group: its last group metadata, its old assignment.</summary>
    private sealed class LeftMember(IConsumerGroupMetadata metadata, IReadOnlyList<TopicPartition> assignment) : IIngressConsumerControl
    {
        public IConsumerGroupMetadata GroupMetadata => metadata;

        public IReadOnlyList<TopicPartition> Assignment => assignment;

        public void Commit(IReadOnlyCollection<TopicPartitionOffset> offsets) => throw new InvalidOperationException("an exactly-once checkpoint commits through the transaction");

        public void Seek(TopicPartitionOffset position)
        {
        }

        public void Pause(IReadOnlyCollection<TopicPartition> partitions)
        {
        }

        public void Resume(IReadOnlyCollection<TopicPartition> partitions)
        {
        }
    }
}
