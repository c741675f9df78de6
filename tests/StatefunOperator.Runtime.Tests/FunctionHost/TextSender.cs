using System.Text;
using Confluent.Kafka;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>Writes text records (key = the target address's id) to one partition of a topic through one producer kept open.</summary>
internal sealed class TextSender : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly TopicPartition _partition;

    public TextSender(KafkaTestBroker broker, string topic, int partition = 0)
    {
        _producer = broker.CreateProducer();
        _partition = new TopicPartition(topic, partition);
    }

    public Task SendAsync(string id, string text) =>
        _producer.ProduceAsync(_partition, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(id), Value = Encoding.UTF8.GetBytes(text) });

    public void Dispose() => _producer.Dispose();
}
