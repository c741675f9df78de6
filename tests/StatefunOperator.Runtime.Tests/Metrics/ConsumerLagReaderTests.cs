using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using StatefunOperator.Runtime.Metrics;
using StatefunOperator.Runtime.Tests.Support;

namespace StatefunOperator.Runtime.Tests.Metrics;

/// <summary>The lag reader against the test broker: high watermark minus the consumer's own position.</summary>
public class ConsumerLagReaderTests
{
    [Fact]
    public async Task Lag_IsWhatTheConsumerHasNotReadYet_PerPartition_WithTheWorstPartitionNamed()
    {
        var topic = await TestTopic.CreateAsync("lag", 2);
        await topic.ProduceAsync(10);
        using var consumer = topic.Broker.CreateConsumer(Testing.Kafka.KafkaTestBroker.UniqueName("lag"));
        consumer.Assign([new TopicPartitionOffset(topic.Name, 0, 0), new TopicPartitionOffset(topic.Name, 1, 7)]);
        var read = new Dictionary<int, int>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((read.GetValueOrDefault(0) < 4 || read.GetValueOrDefault(1) < 3) && DateTime.UtcNow < deadline)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (record is { IsPartitionEOF: false })
            {
                read[record.Partition.Value] = read.GetValueOrDefault(record.Partition.Value) + 1;
                if (record.Partition.Value == 0 && read[0] >= 4)
                {
                    consumer.Pause([record.TopicPartition]);
                }
            }
        }

        var lag = new ConsumerLagReader("test/lag", NullLogger.Instance, TimeSpan.FromSeconds(1)).Read(consumer);

        Assert.Equal("test/lag", lag.Ingress);
        Assert.Equal([new PartitionLag(topic.Name, 0, 6), new PartitionLag(topic.Name, 1, 0)], lag.Partitions);
        Assert.Equal(6, lag.Total);
        Assert.Equal(new PartitionLag(topic.Name, 0, 6), lag.Worst);
    }

    [Fact]
    public void IngressLag_WithoutPartitions_HasNoWorstPartition_AndZeroTotal()
    {
        var lag = new IngressLag("test/none", [], DateTimeOffset.UtcNow);

        Assert.Equal(0, lag.Total);
        Assert.Null(lag.Worst);
    }
}
