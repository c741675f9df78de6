using Confluent.Kafka;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Benchmarks;

/// <summary>The baseline: the plainest Confluent.Kafka consume -> produce loop (auto commit, idempotent producer), fetching as the runtime does.</summary>
internal sealed class PlainLoop
{
    private long _consumed;

    public long Consumed => Interlocked.Read(ref _consumed);

    public void Run(string bootstrap, string input, string output, CancellationToken token)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = KafkaTestBroker.UniqueName("plain"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            // The runtime's default (librdkafka's is 1 s): both sides catch up alike, and the ratios compare code, not this setting.
            FetchQueueBackoffMs = ConsumerConfigFactory.FetchQueueBackoffMs,
        }).Build();
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Acks = Acks.All,
            EnableIdempotence = true,
        }).Build();
        consumer.Subscribe(input);
        while (!token.IsCancellationRequested)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (record is null)
            {
                continue;
            }

            Interlocked.Increment(ref _consumed);

            while (true)
            {
                try
                {
                    producer.Produce(output, new Message<byte[], byte[]> { Key = record.Message.Key, Value = record.Message.Value });
                    break;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        consumer.Close();
    }
}
