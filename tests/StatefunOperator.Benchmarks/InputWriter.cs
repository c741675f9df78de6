using System.Globalization;
using System.Text;
using Confluent.Kafka;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Benchmarks;

/// <summary>Writes a benchmark's input once, before any round: random values of one size, keys as asked.</summary>
internal static class InputWriter
{
    /// <param name="keyCount">0: every record its own key (its number); otherwise <c>user-(i mod keyCount)</c>, i.e. that many function addresses.</param>
    public static void Write(KafkaTestBroker broker, string topic, int records, int valueSize, int keyCount)
    {
        using var producer = broker.CreateProducer();
        var value = new byte[valueSize];
        Random.Shared.NextBytes(value);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        for (var i = 0; i < records; i++)
        {
            var key = keyCount == 0 ? i.ToString(CultureInfo.InvariantCulture) : "user-" + (i % keyCount).ToString(CultureInfo.InvariantCulture);
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = value });
                    break;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull && DateTime.UtcNow < deadline)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }

        producer.Flush(TimeSpan.FromMinutes(2));
    }
}
