using System.Diagnostics;
using Confluent.Kafka;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing.Kafka;
using Xunit.Abstractions;

namespace StatefunOperator.Runtime.Tests.Pipeline;

/// <summary>
/// S9, the other half of KIP-447: the next owner of a partition must not start from committed offsets that a
/// transaction still pending may change. A read_committed consumer's committed-offsets fetch asks for stable offsets
/// (librdkafka sends require_stable for read_committed): while a transaction holds offsets for the group, the fetch
/// waits until it commits, and then sees its offsets. The function host and the ingress read where to start this way.
/// </summary>
public sealed class StableOffsetFetchTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Pending = TimeSpan.FromSeconds(3);

    [RealBrokerFact]
    public async Task S9_TheNextOwnersCommittedOffsetsFetch_WaitsForAPendingTransaction_AndSeesItsOffsets()
    {
        var broker = await KafkaTestBroker.GetRealAsync();
        var input = await TestTopic.CreateAsync("stable-in", partitions: 1, broker);
        await input.ProduceAsync(perPartition: 10);
        var group = KafkaTestBroker.UniqueName("stable");
        var partition = new TopicPartition(input.Name, 0);
        IConsumerGroupMetadata membership;
        using (var owner = GroupMember.Join(broker, group, input.Name))
        {
            membership = owner.ConsumerGroupMetadata;

            using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
            {
                BootstrapServers = broker.BootstrapServers,
                TransactionalId = KafkaTestBroker.UniqueName("stable-txn"),
                EnableIdempotence = true,
            }).Build();
            producer.InitTransactions(TimeSpan.FromSeconds(30));
            producer.BeginTransaction();
            producer.SendOffsetsToTransaction([new TopicPartitionOffset(partition, 7)], membership, TimeSpan.FromSeconds(30));
            var commit = Task.Run(async () =>
            {
                await Task.Delay(Pending);
                producer.CommitTransaction(TimeSpan.FromSeconds(30));
            });

            using var next = new ConsumerBuilder<byte[], byte[]>(GroupMember.Config(broker, group)).Build();
            var clock = Stopwatch.StartNew();
            var committed = await Task.Run(() => next.Committed([partition], TimeSpan.FromSeconds(30)));
            var waited = clock.Elapsed;
            await commit;
            output.WriteLine($"{broker.Description}: the fetch returned offset {committed.Single().Offset} after {waited.TotalSeconds:F1} s (the transaction committed after {Pending.TotalSeconds:F0} s)");

            Assert.Equal(7, committed.Single().Offset.Value);
            Assert.True(waited >= Pending - TimeSpan.FromMilliseconds(500), $"the fetch returned after {waited.TotalSeconds:F1} s, before the transaction committed");
        }
    }
}
