using System.Globalization;
using Confluent.Kafka;
using Google.Protobuf;
using StatefunOperator.Module;
using StatefunOperator.Runtime.FunctionHost;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Benchmarks;

/// <summary>
/// Writes a function host's state straight into its changelog, in the runtime's format (<see cref="ChangelogCodec"/>):
/// one value of the counter's <c>seen</c> per address <c>bench/counter</c> <c>user-NNNNNNNN</c>, each of random bytes
/// (so that it compresses as real state would), to the partition the caller names. What a host that handled those
/// addresses would have written, in seconds instead of hours.
/// </summary>
internal static class ChangelogSeeder
{
    public static readonly TypeName Type = TypeName.Parse("bench/counter");

    public static string Id(int address) => "user-" + address.ToString("D8", CultureInfo.InvariantCulture);

    /// <returns>The bytes written (keys and values).</returns>
    public static long Write(KafkaTestBroker broker, string topic, int addresses, int valueSize, Func<FunctionAddress, int> partitionOf)
    {
        var random = new Random(addresses);
        var value = new byte[valueSize];
        long bytes = 0;
        using var producer = broker.CreateProducer();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(20);
        for (var i = 0; i < addresses; i++)
        {
            var address = new FunctionAddress(Type, Id(i));
            random.NextBytes(value);
            var message = new Message<byte[], byte[]>
            {
                Key = ChangelogCodec.StateKey(address, CountingFunction.StateName),
                Value = ChangelogCodec.StateValue(new StoredValue(CountingFunction.StateType, ByteString.CopyFrom(value), ExpirationPolicy.Never, 0)),
            };
            bytes += message.Key.Length + message.Value.Length;
            while (true)
            {
                try
                {
                    producer.Produce(new TopicPartition(topic, partitionOf(address)), message);
                    break;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull && DateTime.UtcNow < deadline)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }

        if (producer.Flush(TimeSpan.FromMinutes(5)) > 0)
        {
            throw new InvalidOperationException($"seeding {topic}: records still unacknowledged after 5 minutes");
        }

        return bytes;
    }
}
