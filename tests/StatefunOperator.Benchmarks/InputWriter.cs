using System.Globalization;
using System.Text;
using Confluent.Kafka;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Benchmarks;

internal static class InputWriter
{
    public static Task WriteAsync(KafkaTestBroker broker, string topic, int records, int valueSize)
    {
        using var producer = broker.CreateProducer();
        var value = new byte[valueSize];
        Random.Shared.NextBytes(value);
        for (var i = 0; i < records; i++)
        {
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(i.ToString(CultureInfo.InvariantCulture)), Value = value });
                    break;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }

        producer.Flush(TimeSpan.FromMinutes(2));
        return Task.CompletedTask;
    }
}
