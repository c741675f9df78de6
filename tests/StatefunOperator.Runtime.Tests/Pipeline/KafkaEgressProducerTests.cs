using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Runtime.Pipeline;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.Pipeline;

/// <summary>The real producer against the test broker: what it counts, and when.</summary>
public class KafkaEgressProducerTests
{
    [Fact]
    public async Task Transactional_CountsTheRecordsOfACommittedTransactionAsProduced_AndNothingOfAnAbortedOne()
    {
        var topic = await TestTopic.CreateAsync("txn-count", 1);
        var produced = new ConcurrentDictionary<string, long>();
        using var listener = Listen(produced, topic.Name);
        var config = new ProducerConfig { BootstrapServers = topic.Broker.BootstrapServers, TransactionalId = KafkaTestBroker.UniqueName("txn"), EnableIdempotence = true, Acks = Acks.All };
        using var producer = new KafkaEgressProducer(config, NullLogger.Instance);
        var failures = new DeliveryFailures();
        producer.InitTransactions(TimeSpan.FromSeconds(30));

        producer.BeginTransaction();
        for (var i = 0; i < 5; i++)
        {
            producer.Produce(new KafkaEgressRecord(topic.Name, null, [(byte)i]), failures.Record);
        }

        Assert.Equal(0, produced.GetValueOrDefault("produced"));
        producer.CommitTransaction(TimeSpan.FromSeconds(30));
        Assert.Equal(5, produced.GetValueOrDefault("produced"));

        producer.BeginTransaction();
        producer.Produce(new KafkaEgressRecord(topic.Name, null, [9]), failures.Record);
        producer.AbortTransaction(TimeSpan.FromSeconds(30));
        producer.BeginTransaction();
        producer.Produce(new KafkaEgressRecord(topic.Name, null, [10]), failures.Record);
        producer.CommitTransaction(TimeSpan.FromSeconds(30));

        Assert.Equal(6, produced.GetValueOrDefault("produced"));
        Assert.Equal(0, produced.GetValueOrDefault("failed"));
        Assert.Equal(0, failures.Count);
    }

    [Fact]
    public async Task NotTransactional_CountsEachRecordWhenTheBrokerAcknowledgesIt_AndSettlesItsEpoch()
    {
        var topic = await TestTopic.CreateAsync("ack-count", 1);
        var produced = new ConcurrentDictionary<string, long>();
        using var listener = Listen(produced, topic.Name);
        var config = new ProducerConfig { BootstrapServers = topic.Broker.BootstrapServers, EnableIdempotence = true, Acks = Acks.All };
        using var producer = new KafkaEgressProducer(config, NullLogger.Instance);
        var failures = new DeliveryFailures();

        for (var i = 0; i < 4; i++)
        {
            producer.Produce(new KafkaEgressRecord(topic.Name, null, [(byte)i]), failures.Record);
        }

        var epoch = producer.SealEpoch();
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));

        Assert.True(epoch.IsSettled);
        Assert.Equal(4, produced.GetValueOrDefault("produced"));
        Assert.Equal(0, failures.Count);
    }

    /// <summary>Sums statefun.egress.records.produced / .failed for one topic.</summary>
    private static MeterListener Listen(ConcurrentDictionary<string, long> sums, string topic)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == IngressMetrics.MeterName && instrument.Name is "statefun.egress.records.produced" or "statefun.egress.records.failed")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "topic" && (string?)tag.Value == topic)
                {
                    sums.AddOrUpdate(instrument.Name.EndsWith("produced", StringComparison.Ordinal) ? "produced" : "failed", value, (_, sum) => sum + value);
                }
            }
        });
        listener.Start();
        return listener;
    }
}
